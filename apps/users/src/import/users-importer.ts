import { Statement } from 'better-sqlite3';
import { basename } from 'node:path';
import { textProblem } from '@app/common';
import { ImportError, progress, readCsv, Sqlite } from '@app/database';
import { hashPassword } from '../auth/password-hasher';
import { BIO_RULES, PASSWORD_RULES, USERNAME_PATTERN } from '../users/dto/create-user.dto';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HASHING_CONCURRENCY = 4;

interface UserRecord {
  id: number;
  username: string;
  email: string;
  bio: string;
  password: string;
  line: number;
}

/**
 * Imports users.csv (`id,username,bio,email,password`, plain-text passwords, hashed here)
 * and followers.csv (`id,username,friend_username`) into `db`. The caller wraps this in one
 * transaction; any bad row throws an ImportError naming its file and line.
 */
export async function importUsers(db: Sqlite, usersCsv: string, followersCsv: string): Promise<{ users: number; follows: number }> {
  const file = basename(usersCsv);
  const records: UserRecord[] = [];
  const usernames = new Map<string, number>();
  const emails = new Set<string>();
  for await (const { line, fields } of readCsv(usersCsv, ['id', 'username', 'bio', 'email', 'password'])) {
    const fail = (reason: string) => new ImportError(file, line, reason);
    const id = Number(fields.id);
    if (!/^\d+$/.test(fields.id) || !Number.isSafeInteger(id) || id < 1) throw fail(`id "${fields.id}" is not a positive integer`);
    if (!USERNAME_PATTERN.test(fields.username) || fields.username.toLowerCase() === 'me') {
      throw fail(`username "${fields.username}" must be 1 to 30 of A-Z, a-z, 0-9 and _, and not "me"`);
    }
    if (usernames.has(fields.username.toLowerCase())) throw fail(`username "${fields.username}" appears twice`);
    if (!EMAIL.test(fields.email) || fields.email.length > 254) throw fail(`email "${fields.email}" is not a valid address`);
    if (emails.has(fields.email.toLowerCase())) throw fail(`email "${fields.email}" appears twice`);
    const problem = textProblem('password', fields.password, PASSWORD_RULES) ?? textProblem('bio', fields.bio, BIO_RULES);
    if (problem) throw fail(problem);
    usernames.set(fields.username.toLowerCase(), id);
    emails.add(fields.email.toLowerCase());
    records.push({ id, username: fields.username, email: fields.email, bio: fields.bio, password: fields.password, line });
  }

  const insertUser = db.prepare(
    'INSERT INTO users (id, username, email, bio, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const seenIds = new Set<number>();
  const now = new Date().toISOString();
  const report = progress('users hashed', 1000);
  let next = 0;
  let done = 0;
  // Hashing is the slow part (scrypt on libuv's thread pool); a few run at once.
  const hashes: string[] = new Array(records.length);
  await Promise.all(
    Array.from({ length: HASHING_CONCURRENCY }, async () => {
      while (next < records.length) {
        const index = next++;
        hashes[index] = await hashPassword(records[index].password);
        report(++done);
      }
    }),
  );
  records.forEach((record, index) => {
    if (seenIds.has(record.id)) throw new ImportError(file, record.line, `id ${record.id} appears twice`);
    seenIds.add(record.id);
    insertUser.run(record.id, record.username, record.email, record.bio, hashes[index], now);
  });

  const follows = await importFollows(db, followersCsv, usernames, now);
  return { users: records.length, follows };
}

async function importFollows(db: Sqlite, followersCsv: string, usernames: Map<string, number>, now: string): Promise<number> {
  const file = basename(followersCsv);
  const insertFollow: Statement<[number, number, string]> = db.prepare(
    'INSERT OR IGNORE INTO follows (follower_id, followee_id, created_at) VALUES (?, ?, ?)',
  );
  const report = progress('follows');
  let count = 0;
  for await (const { line, fields } of readCsv(followersCsv, ['id', 'username', 'friend_username'])) {
    const follower = usernames.get(fields.username.toLowerCase());
    const followee = usernames.get(fields.friend_username.toLowerCase());
    if (follower === undefined) throw new ImportError(file, line, `unknown user "${fields.username}"`);
    if (followee === undefined) throw new ImportError(file, line, `unknown user "${fields.friend_username}"`);
    if (follower === followee) throw new ImportError(file, line, `"${fields.username}" cannot follow themself`);
    insertFollow.run(follower, followee, now);
    report(++count);
  }
  return count;
}
