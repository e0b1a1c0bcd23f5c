import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Statement } from 'better-sqlite3';
import { AuthUser } from '@app/auth';
import { forbidden } from '@app/common';
import { SQL_STORE, SqliteStore } from '@app/database';

/**
 * Admin rights by the role the monitor knows now (from `user.role-changed` events), never by
 * the token's claim: a token issued before a revocation grants nothing after it.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly roleOf: Statement<[number], { role: string }>;

  constructor(@Inject(SQL_STORE) private readonly store: SqliteStore) {
    this.roleOf = store.db.prepare('SELECT role FROM users WHERE id = ?');
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const user = context.switchToHttp().getRequest<{ user: AuthUser }>().user;
    if ((await this.store.use(() => this.roleOf.get(user.id)))?.role !== 'admin') throw forbidden('the monitor’s figures are for admins');
    return true;
  }
}
