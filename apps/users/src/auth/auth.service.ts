import { Inject, Injectable } from '@nestjs/common';
import { AuthUser, unauthorized } from '@app/auth';
import { CredentialRow, USERS_REPOSITORY, UsersRepository } from '../users/users.repository';
import { LoginThrottleService } from './login-throttle.service';
import { hashPassword, needsRehash, verifyPassword } from '../credentials/password-hasher';
import { VerifiedCredentialsCache } from '../credentials/verified-credentials.cache';

@Injectable()
export class AuthService {
  /** Checked when the username is unknown, so a miss costs as long as a wrong password. */
  private readonly decoyHash = hashPassword('decoy password for unknown usernames');

  constructor(
    @Inject(USERS_REPOSITORY) private readonly users: UsersRepository,
    private readonly throttle: LoginThrottleService,
    private readonly verified: VerifiedCredentialsCache,
  ) {}

  async verifyPassword(username: string, password: string, clientAddress: string): Promise<AuthUser> {
    await this.throttle.assertAllowed(username, clientAddress);
    const known = this.verified.get(username, password);
    const credentials = await this.users.findCredentials(username);
    // A remembered pair skips scrypt, not the account: the role is always read now, so a
    // revocation counts at once, and a deleted account stops working.
    if (known && credentials?.id === known.id) return this.userOf(credentials);
    const valid = await verifyPassword(password, credentials?.password_hash ?? (await this.decoyHash));
    if (!credentials || !valid) {
      await this.throttle.recordFailure(username, clientAddress);
      throw unauthorized('the username or password is wrong');
    }
    if (needsRehash(credentials.password_hash)) {
      // Hashed before the transaction: the write lock is not held through scrypt.
      const rehashed = await hashPassword(password);
      await this.users.writeTransaction((tx) => this.users.rehash(tx, credentials.id, rehashed));
    }
    this.verified.remember(username, password, { id: credentials.id, username: credentials.username });
    return this.userOf(credentials);
  }

  private userOf(credentials: CredentialRow): AuthUser {
    return { id: credentials.id, username: credentials.username, role: credentials.role, credentialsVersion: credentials.credentials_version };
  }
}
