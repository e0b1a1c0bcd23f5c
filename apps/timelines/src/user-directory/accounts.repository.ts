import { Role } from '@app/auth';

/** An account as timelines' read model of users keeps it. */
export interface Account {
  id: number;
  username: string;
  role: Role;
  credentialsVersion: number;
}

/** Injection token of the AccountsRepository adapter. */
export const ACCOUNTS_REPOSITORY = Symbol('AccountsRepository');

/**
 * The read model's tables (accounts, account_follows): written only by the users-stream
 * consumer, inside its transaction; read by the directory and the credentials check.
 */
export interface AccountsRepository {
  upsert(account: Account): Promise<void>;
  setCredentialsVersion(id: number, version: number): Promise<void>;
  setRole(id: number, role: string): Promise<void>;
  follow(followerId: number, followeeId: number): Promise<void>;
  unfollow(followerId: number, followeeId: number): Promise<void>;
  /** Forgets every account and follow (the users stream holds another history). */
  clear(): Promise<void>;

  findByUsername(username: string): Promise<{ id: number; role: Role; credentials_version: number } | undefined>;
  credentialsVersion(id: number): Promise<number | undefined>;
  /** The usernames `username` follows. */
  following(username: string): Promise<string[]>;
}
