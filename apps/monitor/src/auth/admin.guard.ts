import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Statement } from 'better-sqlite3';
import { AuthUser } from '@app/auth';
import { forbidden } from '@app/common';
import { DATABASE, Sqlite } from '@app/database';

/**
 * Admin rights by the role the monitor knows now (from `user.role-changed` events), never by
 * the token's claim: a token issued before a revocation grants nothing after it.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly roleOf: Statement<[number], { role: string }>;

  constructor(@Inject(DATABASE) db: Sqlite) {
    this.roleOf = db.prepare('SELECT role FROM users WHERE id = ?');
  }

  canActivate(context: ExecutionContext): boolean {
    const user = context.switchToHttp().getRequest<{ user: AuthUser }>().user;
    if (this.roleOf.get(user.id)?.role !== 'admin') throw forbidden('the monitor’s figures are for admins');
    return true;
  }
}
