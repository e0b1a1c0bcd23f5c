import { Injectable } from '@nestjs/common';
import { boundedCache } from '@app/common';
import { createHmac, randomBytes } from 'node:crypto';
import { AuthUser } from '@app/auth';
import { Caller, UsersClient } from '../users-client/users.client';
import { UsersReadModel } from './users-read-model';

const MAX_ENTRIES = 100_000;
const MAX_TRUST_MS = 10 * 60_000;

/**
 * Basic credentials verified once by users are trusted afterwards while the credentials
 * version users reported with them is still the version in the read model: a password change
 * (`user.credentials-changed`) ends the trust on every replica, because they share the read
 * model. While the consumer is not healthy, nothing is trusted beyond the users client's
 * own 1-2 s cache. Trust is also bound to the read model's history (the incarnation of the
 * users database): ids and versions of a rebuilt database say nothing of the old one's users.
 * Keys are HMACs under a per-process random key, never a password.
 */
@Injectable()
export class TrustedCredentials {
  private readonly key = randomBytes(32);
  private readonly trusted = boundedCache<string, { user: AuthUser; version: number; history: string | null }>(MAX_ENTRIES, MAX_TRUST_MS);

  constructor(
    private readonly model: UsersReadModel,
    private readonly users: UsersClient,
  ) {}

  async verify(username: string, password: string, caller: Caller): Promise<AuthUser> {
    const key = createHmac('sha256', this.key).update(username.toLowerCase()).update('\0').update(password).digest('base64');
    const entry = this.trusted.get(key);
    if (entry && this.model.healthy && entry.history === this.model.incarnation && (await this.model.credentialsVersion(entry.user.id)) === entry.version) {
      return entry.user;
    }
    // The history first: a user of a database that users has since been rebuilt from is never trusted by a later one's version.
    const history = this.model.incarnation;
    const user = await this.users.verifyBasic(username, password, caller);
    if (user.credentialsVersion !== undefined) this.trusted.set(key, { user, version: user.credentialsVersion, history });
    return user;
  }
}
