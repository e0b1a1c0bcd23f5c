import { Tx } from '@app/database';
import { Role } from '@app/auth';

/** What the users service stores, and how the service reads and writes it: the port. */
export interface UserRow {
  id: number;
  username: string;
  email: string;
  bio: string;
  created_at: string;
  role: Role;
  credentials_version: number;
  followers: number;
  following: number;
}

export interface CredentialRow {
  id: number;
  username: string;
  password_hash: string;
  role: Role;
  credentials_version: number;
}

export interface NewUser {
  username: string;
  email: string;
  bio: string;
  passwordHash: string;
  createdAt: string;
  role?: Role;
}

/** Which of `userId`'s relations an account is in. */
export interface RelationshipRow {
  id: number;
  following: boolean;
  followed_by: boolean;
}

/** Mastodon's paging by id: newest first below `maxId` and above `sinceId`, or the page just above `minId`. */
export interface IdWindow {
  maxId: number | null;
  sinceId: number | null;
  minId: number | null;
  limit: number;
}

/** Injection token of the UsersRepository adapter. */
export const USERS_REPOSITORY = Symbol('UsersRepository');

/**
 * Reads and writes accounts and follows; decides nothing. The UNIQUE indexes on username
 * and email decide races between two registrations, so insert and update say when one hit.
 */
export interface UsersRepository {
  /** Runs `work` in one write transaction; every call inside joins it. */
  writeTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;

  findByUsername(username: string): Promise<UserRow | undefined>;
  findById(id: number): Promise<UserRow | undefined>;
  findCredentials(username: string): Promise<CredentialRow | undefined>;
  /** The new user's id, or null when the username or email is taken. */
  insert(tx: Tx, user: NewUser): Promise<number | null>;
  /** Applies the given changes (undefined keeps a column; a new password hash counts a credentials version); false when the new email is taken. */
  update(tx: Tx, id: number, changes: { bio?: string; email?: string; passwordHash?: string }): Promise<boolean>;
  rehash(tx: Tx, id: number, passwordHash: string): Promise<void>;
  setRole(tx: Tx, id: number, role: Role): Promise<void>;

  list(after: string | null, limit: number): Promise<UserRow[]>;
  followers(userId: number, after: string | null, limit: number): Promise<UserRow[]>;
  following(userId: number, after: string | null, limit: number): Promise<UserRow[]>;
  followingUsernames(userId: number): Promise<string[]>;
  count(): Promise<number>;
  findByIds(ids: readonly number[]): Promise<UserRow[]>;
  /** `userId`'s relation to each existing account of `ids`. */
  relationships(userId: number, ids: readonly number[]): Promise<RelationshipRow[]>;
  /** A window of `userId`'s followers (or of whom they follow) by account id, newest id first. */
  followersWindow(userId: number, window: IdWindow): Promise<UserRow[]>;
  followingWindow(userId: number, window: IdWindow): Promise<UserRow[]>;
  /** Whether the follow is new. */
  follow(tx: Tx, followerId: number, followeeId: number, at: string): Promise<boolean>;
  /** Whether there was a follow to remove. */
  unfollow(tx: Tx, followerId: number, followeeId: number): Promise<boolean>;
}
