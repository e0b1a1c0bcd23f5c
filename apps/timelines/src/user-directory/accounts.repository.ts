import { Tx } from '@app/database';
import { Role, StoredToken } from '@app/auth';
import { AccountProfileRow } from '@app/common';
import { EventPayloads } from '@app/events';

/** An account as timelines' read model of users keeps it. */
export interface Account {
  id: number;
  username: string;
  role: string;
  credentialsVersion: number;
  /** When it registered (ISO 8601); older events did not say. */
  createdAt?: string;
  bio?: string;
}

/** An account as Mastodon's entities show it: the read model's facts and the author's post counts. */
export type AccountProfile = AccountProfileRow;

/** An OAuth token users issued, as its `user.token-issued` event told it (a digest, never the token). */
export type IssuedToken = EventPayloads['user.token-issued'];

/** A token found by its digest, with its user's current name, role and credentials version. */
export type TokenRow = StoredToken;

/** An account event from before registration times and bios were in it. */
export function withDefaults(account: Account): Required<Account> {
  return { ...account, createdAt: account.createdAt ?? new Date(0).toISOString(), bio: account.bio ?? '' };
}

/** Injection token of the AccountsRepository adapter. */
export const ACCOUNTS_REPOSITORY = Symbol('AccountsRepository');

/**
 * The read model's tables (accounts, account_follows, oauth_tokens): written only by the
 * users-stream consumer, inside its transaction; read by the directory, the credentials
 * check and the Mastodon views.
 */
export interface AccountsRepository {
  upsert(tx: Tx, account: Account): Promise<void>;
  setCredentialsVersion(tx: Tx, id: number, version: number): Promise<void>;
  setRole(tx: Tx, id: number, role: string): Promise<void>;
  setBio(tx: Tx, id: number, bio: string): Promise<void>;
  /** Adds the follow unless it exists, moving both accounts' counts when it is new. */
  follow(tx: Tx, followerId: number, followeeId: number): Promise<void>;
  unfollow(tx: Tx, followerId: number, followeeId: number): Promise<void>;
  saveToken(tx: Tx, token: IssuedToken): Promise<void>;
  revokeToken(tx: Tx, digest: string): Promise<void>;
  /** Forgets every account, follow and token (the users stream holds another history). */
  clear(tx: Tx): Promise<void>;

  findByUsername(username: string): Promise<{ id: number; role: Role; credentials_version: number } | undefined>;
  credentialsVersion(id: number): Promise<number | undefined>;
  /** The usernames `username` follows. */
  following(username: string): Promise<string[]>;
  findToken(digest: string): Promise<TokenRow | undefined>;
  /** The profiles of these accounts (any case), those the read model knows. */
  profiles(usernames: readonly string[]): Promise<AccountProfile[]>;
  profileById(id: number): Promise<AccountProfile | undefined>;
}
