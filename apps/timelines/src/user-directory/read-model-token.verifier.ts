import { Inject, Injectable } from '@nestjs/common';
import { credentialDigest, grantOfStoredToken, isOpaqueToken, OAuthTokenVerifier, TokenGrant } from '@app/auth';
import { BaseConfig } from '@app/config';
import { UsersClient } from '../users-client/users.client';
import { ACCOUNTS_REPOSITORY, AccountsRepository } from './accounts.repository';

/**
 * The OAuth tokens users issued, checked against timelines' read model of its events: no call
 * to users for a token it knows. A revocation or a password change reaches every replica with
 * its event (the replicas share the read model), within the consumer's lag.
 */
@Injectable()
export class ReadModelTokenVerifier implements OAuthTokenVerifier {
  constructor(
    @Inject(ACCOUNTS_REPOSITORY) private readonly accounts: AccountsRepository,
    private readonly config: BaseConfig,
    private readonly users: UsersClient,
  ) {}

  async verify(token: string): Promise<TokenGrant | null> {
    if (!isOpaqueToken(token)) return null;
    const row = await this.accounts.findToken(credentialDigest(this.config.JWT_SECRET, token));
    if (row) return grantOfStoredToken(row);
    // Not (yet) in the read model: issued a moment ago, or revoked. Users decides, through the
    // client's short cache, so a revocation still ends it within the cache's lifetime.
    return this.users.verifyToken(token);
  }
}
