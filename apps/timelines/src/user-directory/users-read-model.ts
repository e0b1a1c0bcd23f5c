import { Inject, Injectable } from '@nestjs/common';
import { Statement } from 'better-sqlite3';
import { Role } from '@app/auth';
import { SQL_STORE, SqliteStore } from '@app/database';
import { DomainEvent, EventBus, EventConsumer, STREAMS, USER_EVENTS } from '@app/events';

interface Registered {
  id: number;
  username: string;
  role: Role;
  credentialsVersion: number;
}

/**
 * Timelines' read model of the users service, kept from the `users` stream in timelines' own
 * database (shared by every replica, applied once): who exists, each one's role and
 * credentials version, and who follows whom.
 */
@Injectable()
export class UsersReadModel extends EventConsumer {
  private readonly upsertAccount: Statement<Registered>;
  private readonly setVersion: Statement<[number, number]>;
  private readonly setRole: Statement<[string, number]>;
  private readonly addFollow: Statement<[number, number]>;
  private readonly removeFollow: Statement<[number, number]>;
  private readonly byName: Statement<[string], { id: number; role: Role; credentials_version: number }>;
  private readonly byId: Statement<[number], { credentials_version: number }>;
  private readonly followees: Statement<[string], { username: string }>;

  constructor(@Inject(SQL_STORE) private readonly sqlite: SqliteStore, bus: EventBus) {
    super(STREAMS.users, sqlite, bus);
    const { db } = sqlite;
    this.upsertAccount = db.prepare(
      `INSERT INTO accounts (id, username, role, credentials_version) VALUES (@id, @username, @role, @credentialsVersion)
       ON CONFLICT (id) DO UPDATE SET username = excluded.username, role = excluded.role, credentials_version = excluded.credentials_version`,
    );
    this.setVersion = db.prepare('UPDATE accounts SET credentials_version = ? WHERE id = ?');
    this.setRole = db.prepare('UPDATE accounts SET role = ? WHERE id = ?');
    this.addFollow = db.prepare('INSERT OR IGNORE INTO account_follows (follower_id, followee_id) VALUES (?, ?)');
    this.removeFollow = db.prepare('DELETE FROM account_follows WHERE follower_id = ? AND followee_id = ?');
    this.byName = db.prepare('SELECT id, role, credentials_version FROM accounts WHERE username = ?');
    this.byId = db.prepare('SELECT credentials_version FROM accounts WHERE id = ?');
    this.followees = db.prepare(
      `SELECT a.username FROM accounts me JOIN account_follows f ON f.follower_id = me.id JOIN accounts a ON a.id = f.followee_id
       WHERE me.username = ?`,
    );
  }

  // Runs inside the consumer's transaction: the statements need no gate.
  protected async apply(event: DomainEvent): Promise<void> {
    const data = event.data as Record<string, unknown>;
    switch (event.type) {
      case USER_EVENTS.registered:
        this.upsertAccount.run(data as unknown as Registered);
        break;
      case USER_EVENTS.credentialsChanged:
        this.setVersion.run(data.credentialsVersion as number, data.id as number);
        break;
      case USER_EVENTS.roleChanged:
        this.setRole.run(data.role as string, data.id as number);
        break;
      case USER_EVENTS.followed:
        this.addFollow.run(data.followerId as number, data.followeeId as number);
        break;
      case USER_EVENTS.unfollowed:
        this.removeFollow.run(data.followerId as number, data.followeeId as number);
        break;
      default:
        break; // user.updated (bio) and future events change nothing here
    }
  }

  async exists(username: string): Promise<boolean> {
    return (await this.sqlite.use(() => this.byName.get(username))) !== undefined;
  }

  async role(username: string): Promise<Role | undefined> {
    return (await this.sqlite.use(() => this.byName.get(username)))?.role;
  }

  async credentialsVersion(id: number): Promise<number | undefined> {
    return (await this.sqlite.use(() => this.byId.get(id)))?.credentials_version;
  }

  following(username: string): Promise<string[]> {
    return this.sqlite.use(() => this.followees.all(username).map((row) => row.username));
  }
}
