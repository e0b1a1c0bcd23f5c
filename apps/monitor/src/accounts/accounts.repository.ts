/** Injection token of the AccountsRepository adapter. */
export const ACCOUNTS_REPOSITORY = Symbol('AccountsRepository');

/** The monitor's copy of users (who exists, each one's role) and who follows whom. */
export interface AccountsRepository {
  upsert(user: { id: number; username: string; role: string }): Promise<void>;
  setRole(id: number, role: string): Promise<void>;
  follow(followerId: number, followeeId: number): Promise<void>;
  unfollow(followerId: number, followeeId: number): Promise<void>;
  roleOf(id: number): Promise<string | undefined>;
  /** Forgets every user and follow (the users stream holds another history). */
  clear(): Promise<void>;
}
