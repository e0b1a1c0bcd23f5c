import { Statement } from 'better-sqlite3';
import { isRole, Role } from '@app/auth';
import { BIO_RULES, emailProblem, PASSWORD_RULES, textProblem, usernameProblem } from '@app/common';
import { eachCsvRow, progress, RowProblem, Sqlite } from '@app/database';
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

/**
 * Imports users.csv (`id,username,bio,email,password[,role]`, plain-text passwords, hashed here)
 * and followers.csv (`id,username,friend_username`) into `db`. The caller wraps this in one
 * transaction; any bad row throws an ImportError naming its file and line.
 */
export async function importUsers(db: Sqlite, usersCsv: string, followersCsv: string): Promise<{ users: number; follows: number }> {
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
  const insertUser = db.prepare(
    'INSERT INTO users (id, username, email, bio, password_hash, created_at, role) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const now = new Date().toISOString();
  records.forEach((record, index) =>
    insertUser.run(record.id, record.username, record.email, record.bio, hashes[index], now, record.role),
  );

  const follows = await importFollows(db, followersCsv, usernames, now);
  return { users: records.length, follows };
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

function importFollows(db: Sqlite, followersCsv: string, usernames: Map<string, number>, now: string): Promise<number> {
  const insertFollow: Statement<[number, number, string]> = db.prepare(
    'INSERT OR IGNORE INTO follows (follower_id, followee_id, created_at) VALUES (?, ?, ?)',
  );
  const report = progress('follows');
  return eachCsvRow(followersCsv, ['id', 'username', 'friend_username'], (fields, record) => {
    const follower = usernames.get(fields.username.toLowerCase());
    const followee = usernames.get(fields.friend_username.toLowerCase());
    if (follower === undefined) throw new RowProblem(`unknown user "${fields.username}"`);
    if (followee === undefined) throw new RowProblem(`unknown user "${fields.friend_username}"`);
    if (follower === followee) throw new RowProblem(`"${fields.username}" cannot follow themself`);
    insertFollow.run(follower, followee, now);
    report(record);
  });
}
