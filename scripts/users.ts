/**
 * `npm run users -- grant-admin NAME` / `revoke-admin NAME` [--db PATH]: an operator's change
 * of a user's role, written to the users database (the running services see it within 2 s).
 * Prints what it did; exits 1 for an unknown user, 2 for a wrong command line.
 */
import { parseArgs } from 'node:util';
import { Role } from '@app/auth';
import { ProblemException } from '@app/common';
import { openDatabase } from '@app/database';
import { SqliteOutbox } from '@app/events';
import { USERS_MIGRATIONS } from '../apps/users/src/database/users.migrations';
import { SqliteUsersRepository } from '../apps/users/src/users/sqlite-users.repository';
import { UsersService } from '../apps/users/src/users/users.service';
import { VerifiedCredentialsCache } from '../apps/users/src/credentials/verified-credentials.cache';

const COMMANDS: Record<string, Role> = { 'grant-admin': 'admin', 'revoke-admin': 'user' };

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { db: { type: 'string', default: process.env.USERS_DATABASE_PATH ?? 'var/db/users.db' } },
});
const [command, username, ...rest] = positionals;
if (!(command in COMMANDS) || !username || rest.length > 0) {
  console.error('usage: npm run users -- grant-admin|revoke-admin USERNAME [--db var/db/users.db]');
  process.exit(2);
}

const db = openDatabase(values.db, USERS_MIGRATIONS);
try {
  const users = new UsersService(new SqliteUsersRepository(db), new VerifiedCredentialsCache(), new SqliteOutbox(db));
  const change = users.changeRole(username, COMMANDS[command]);
  console.log(
    change.previous === change.role
      ? `${change.username} is already ${change.role}; nothing changed`
      : `${change.username} is now ${change.role} (was ${change.previous})`,
  );
} catch (error) {
  console.error(`users: ${error instanceof ProblemException ? error.detail : (error as Error).message}`);
  process.exitCode = 1;
} finally {
  db.close();
}
