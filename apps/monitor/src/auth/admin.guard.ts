import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@app/auth';
import { forbidden } from '@app/common';
import { ACCOUNTS_REPOSITORY, AccountsRepository } from '../accounts/accounts.repository';

/**
 * Admin rights by the role the monitor knows now (from `user.role-changed` events), never by
 * the token's claim: a token issued before a revocation grants nothing after it.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(@Inject(ACCOUNTS_REPOSITORY) private readonly accounts: AccountsRepository) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const user = context.switchToHttp().getRequest<{ user: AuthUser }>().user;
    if ((await this.accounts.roleOf(user.id)) !== 'admin') throw forbidden('the monitor’s figures are for admins');
    return true;
  }
}
