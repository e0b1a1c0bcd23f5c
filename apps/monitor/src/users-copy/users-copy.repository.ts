import { Tx } from '@app/database';
import { AccountProfileRow } from '@app/common';

export interface MonitorUser {
  id: number;
  username: string;
  role: string;
  createdAt: string;
  bio: string;
}

export type MonitorProfile = AccountProfileRow;

/** The profile columns over `users u` (the counts from the monitor's own copies). */
export const PROFILE_SQL = `u.id, u.username, u.bio, u.created_at,
  (SELECT COUNT(*) FROM follows WHERE followee_id = u.id) AS followers,
  (SELECT COUNT(*) FROM follows WHERE follower_id = u.id) AS following,
  (SELECT COUNT(*) FROM posts WHERE lower(posts.username) = lower(u.username)) AS statuses,
  (SELECT MAX(created_at) FROM posts WHERE lower(posts.username) = lower(u.username)) AS last_status_at`;

/** Injection token of the UsersCopyRepository adapter. */
export const USERS_COPY_REPOSITORY = Symbol('UsersCopyRepository');

/** The monitor's copy of users (who exists, each one's role) and who follows whom. */
export interface UsersCopyRepository {
  upsert(tx: Tx, user: MonitorUser): Promise<void>;
  setBio(tx: Tx, id: number, bio: string): Promise<void>;
  setRole(tx: Tx, id: number, role: string): Promise<void>;
  follow(tx: Tx, followerId: number, followeeId: number): Promise<void>;
  unfollow(tx: Tx, followerId: number, followeeId: number): Promise<void>;
  roleOf(id: number): Promise<string | undefined>;
  /** The accounts of these authors (any case), with their counts, for Mastodon's Account entity. */
  profiles(usernames: readonly string[]): Promise<MonitorProfile[]>;
  /** Forgets every user and follow (the users stream holds another history). */
  clear(tx: Tx): Promise<void>;
}
