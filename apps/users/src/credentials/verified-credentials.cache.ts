import { Injectable } from '@nestjs/common';
import { boundedCache } from '@app/common';
import { createHmac, randomBytes } from 'node:crypto';
import { AuthUser } from '@app/auth';

const MAX_ENTRIES = 100_000;
const TTL_MS = 10 * 60_000;

/**
 * Credentials that passed the scrypt check recently, so a client that sends Basic
 * credentials with every request pays for the slow hash once in ten minutes, not every time.
 * Keys are HMACs under a per-process random key (never a password); wrong passwords are
 * never cached, so guessing still costs a full hash. A password change forgets the user's
 * entries at once.
 */
@Injectable()
export class VerifiedCredentialsCache {
  private readonly key = randomBytes(32);
  private readonly entries = boundedCache<string, AuthUser>(MAX_ENTRIES, TTL_MS);

  get(username: string, password: string): AuthUser | undefined {
    return this.entries.get(this.digest(username, password));
  }

  remember(username: string, password: string, user: AuthUser): void {
    this.entries.set(this.digest(username, password), user);
  }

  forget(userId: number): void {
    for (const [digest, user] of this.entries.entries()) {
      if (user.id === userId) this.entries.delete(digest);
    }
  }

  private digest(username: string, password: string): string {
    return createHmac('sha256', this.key).update(username.toLowerCase()).update('\0').update(password).digest('base64');
  }
}
