import { Injectable } from '@nestjs/common';
import { AuthUser } from '@app/auth';
import { UserRoles } from '../posts/user-roles';
import { Caller, UsersClient } from '../users-client/users.client';
import { UsersReadModel } from './users-read-model';

/**
 * What timelines needs to know about users, answered from the read model while its consumer
 * is healthy (caught up, bus reachable: no call to users at all), and from the users
 * service, through the client's short caches and circuit breaker, when it is not.
 */
@Injectable()
export class UserDirectory implements UserRoles {
  constructor(
    private readonly model: UsersReadModel,
    private readonly users: UsersClient,
  ) {}

  /**
   * A name the read model knows exists. One it does not know may have registered a moment ago
   * (its event not yet applied), and a registration is visible to every later request at once,
   * so users is asked; only when users cannot answer does a healthy read model's "no" stand.
   */
  async userExists(username: string, caller: Caller): Promise<boolean> {
    const healthy = this.model.healthy;
    if (healthy && (await this.model.exists(username))) return true;
    try {
      return await this.users.userExists(username, caller);
    } catch (error) {
      if (healthy) return false;
      throw error;
    }
  }

  async following(username: string, caller: Caller): Promise<string[]> {
    return this.model.healthy ? this.model.following(username) : this.users.following(username, caller);
  }

  async isAdmin(user: AuthUser): Promise<boolean> {
    return this.model.healthy ? (await this.model.role(user.username)) === 'admin' : this.users.isAdmin(user);
  }
}
