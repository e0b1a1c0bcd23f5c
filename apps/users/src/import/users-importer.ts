import type { PoolClient } from 'pg';
import { isRole, Role } from '@app/auth';
import { BIO_RULES, emailProblem, PASSWORD_RULES, textProblem, usernameProblem } from '@app/common';
import { eachCsvRow, progress, RowProblem } from '@app/csv-import';
import { Sqlite } from '@app/database';
import { hashPassword } from '../credentials/password-hasher';

const HASHING_CONCURRENCY = 4;

interface UserRecord {
  id: number;
  username: string;
  email: string;
  bio: string;
  password: string;
  role: Role;
}

/** Accounts and follows read from the CSV files, every rule checked and every password hashed. */
export interface UsersImport {
  users: Array<Omit<UserRecord, 'password'> & { passwordHash: string }>;
  follows: Array<[followerId: number, followeeId: number]>;
  createdAt: string;
}

/**
 * Imports users.csv (`id,username,bio,email,password[,role]`, plain-text passwords, hashed here)
 * and followers.csv (`id,username,friend_username`) into `db`. The caller wraps this in one
 * transaction; any bad row throws an ImportError naming its file and line.
 */
export async function importUsers(db: Sqlite, usersCsv: string, followersCsv: string): Promise<{ users: number; follows: number }> {
  const { users, follows, createdAt } = await readUsers(usersCsv, followersCsv);
  const insertUser = db.prepare('INSERT INTO users (id, username, email, bio, password_hash, created_at, role) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const user of users) insertUser.run(user.id, user.username, user.email, user.bio, user.passwordHash, createdAt, user.role);
  const insertFollow = db.prepare('INSERT OR IGNORE INTO follows (follower_id, followee_id, created_at) VALUES (?, ?, ?)');
  for (const [follower, followee] of follows) insertFollow.run(follower, followee, createdAt);
  return { users: users.length, follows: follows.length };
}

const POSTGRES_BATCH = 5000;

/** The same import into the users database on PostgreSQL, inside the caller's transaction on `client`. */
export async function importUsersIntoPostgres(client: PoolClient, usersCsv: string, followersCsv: string): Promise<{ users: number; follows: number }> {
  const { users, follows, createdAt } = await readUsers(usersCsv, followersCsv);
  for (let i = 0; i < users.length; i += POSTGRES_BATCH) {
    const batch = users.slice(i, i + POSTGRES_BATCH);
    await client.query(
      `INSERT INTO users (id, username, email, bio, password_hash, created_at, role)
       SELECT id, username, email, bio, password_hash, $6, role
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $7::text[]) AS u(id, username, email, bio, password_hash, role)`,
      [
        batch.map((user) => user.id),
        batch.map((user) => user.username),
        batch.map((user) => user.email),
        batch.map((user) => user.bio),
        batch.map((user) => user.passwordHash),
        createdAt,
        batch.map((user) => user.role),
      ],
    );
  }
  // Identities given explicitly leave the sequence behind: the next registration takes the id after the largest.
  await client.query("SELECT setval(pg_get_serial_sequence('users', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM users");
  for (let i = 0; i < follows.length; i += POSTGRES_BATCH) {
    const batch = follows.slice(i, i + POSTGRES_BATCH);
    await client.query(
      `INSERT INTO follows (follower_id, followee_id, created_at)
       SELECT follower_id, followee_id, $3 FROM unnest($1::bigint[], $2::bigint[]) AS f(follower_id, followee_id)
       ON CONFLICT DO NOTHING`,
      [batch.map(([follower]) => follower), batch.map(([, followee]) => followee), createdAt],
    );
  }
  return { users: users.length, follows: follows.length };
}

/** Reads and checks both files; any bad row throws an ImportError naming its file and line. */
export async function readUsers(usersCsv: string, followersCsv: string): Promise<UsersImport> {
  const records: UserRecord[] = [];
  const usernames = new Map<string, number>();
  const emails = new Set<string>();
  const ids = new Set<number>();
  await eachCsvRow(usersCsv, ['id', 'username', 'bio', 'email', 'password'], (fields) => {
    const id = Number(fields.id);
    if (!/^\d+$/.test(fields.id) || !Number.isSafeInteger(id) || id < 1) throw new RowProblem(`id "${fields.id}" is not a positive integer`);
    if (ids.has(id)) throw new RowProblem(`id ${id} appears twice`);
    const invalidName = usernameProblem(fields.username);
    if (invalidName) throw new RowProblem(`${invalidName} (got "${fields.username}")`);
    const invalidEmail = emailProblem(fields.email);
    if (invalidEmail) throw new RowProblem(`${invalidEmail} (got "${fields.email}")`);
    if (usernames.has(fields.username.toLowerCase())) throw new RowProblem(`username "${fields.username}" appears twice`);
    if (emails.has(fields.email.toLowerCase())) throw new RowProblem(`email "${fields.email}" appears twice`);
    const problem = textProblem('password', fields.password, PASSWORD_RULES) ?? textProblem('bio', fields.bio, BIO_RULES);
    if (problem) throw new RowProblem(problem);
    // The optional last column: empty or missing is an ordinary user.
    const role = fields.role === undefined || fields.role === '' ? 'user' : fields.role;
    if (!isRole(role)) throw new RowProblem(`role "${fields.role}" must be user or admin`);
    ids.add(id);
    usernames.set(fields.username.toLowerCase(), id);
    emails.add(fields.email.toLowerCase());
    records.push({ id, username: fields.username, email: fields.email, bio: fields.bio, password: fields.password, role });
  });

  const hashes = await hashAll(records.map((record) => record.password));
  const users = records.map(({ password: _password, ...record }, index) => ({ ...record, passwordHash: hashes[index] }));
  const follows = await readFollows(followersCsv, usernames);
  return { users, follows, createdAt: new Date().toISOString() };
}

/** Hashing is the slow part (scrypt on libuv's thread pool), so a few run at once. */
async function hashAll(passwords: string[]): Promise<string[]> {
  const hashes: string[] = new Array(passwords.length);
  const report = progress('passwords hashed', 1000);
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: HASHING_CONCURRENCY }, async () => {
      while (next < passwords.length) {
        const index = next++;
        hashes[index] = await hashPassword(passwords[index]);
        report(++done);
      }
    }),
  );
  return hashes;
}

async function readFollows(followersCsv: string, usernames: Map<string, number>): Promise<Array<[number, number]>> {
  const follows: Array<[number, number]> = [];
  const report = progress('follows');
  await eachCsvRow(followersCsv, ['id', 'username', 'friend_username'], (fields, record) => {
    const follower = usernames.get(fields.username.toLowerCase());
    const followee = usernames.get(fields.friend_username.toLowerCase());
    if (follower === undefined) throw new RowProblem(`unknown user "${fields.username}"`);
    if (followee === undefined) throw new RowProblem(`unknown user "${fields.friend_username}"`);
    if (follower === followee) throw new RowProblem(`"${fields.username}" cannot follow themself`);
    follows.push([follower, followee]);
    report(record);
  });
  return follows;
}
