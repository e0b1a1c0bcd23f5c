import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@app/auth';
import { forbidden } from '@app/common';
import { USERS_COPY_REPOSITORY, UsersCopyRepository } from '../users-copy/users-copy.repository';

/**
 * Admin rights by the role the monitor knows now (from `user.role-changed` events), never by
 * the token's claim: a token issued before a revocation grants nothing after it.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(@Inject(USERS_COPY_REPOSITORY) private readonly users: UsersCopyRepository) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const user = context.switchToHttp().getRequest<{ user: AuthUser }>().user;
    if ((await this.users.roleOf(user.id)) !== 'admin') throw forbidden('the monitor’s figures are for admins');
    return true;
  }
}
