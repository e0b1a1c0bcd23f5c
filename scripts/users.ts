/**
 * `npm run users -- grant-admin NAME` / `revoke-admin NAME` [--db PATH | --url postgres://…]: an
 * operator's change of a user's role, written to the users database, its SQLite file or its
 * PostgreSQL database (USERS_DATABASE_URL) (the running services see it within 2 s).
 * Prints what it did; exits 1 for an unknown user, 2 for a wrong command line.
 */
import { parseArgs } from 'node:util';
import { Role } from '@app/auth';
import { withPasswordFile } from '@app/config';
import { ProblemException } from '@app/common';
import { openStore, SqlStore } from '@app/database';
import { OutboxLog, PostgresOutbox, SqliteOutbox } from '@app/events';
import { USERS_MIGRATIONS } from '../apps/users/src/database/users.migrations';
import { USERS_POSTGRES_MIGRATIONS } from '../apps/users/src/database/users.postgres-migrations';
import { PostgresUsersRepository } from '../apps/users/src/users/postgres-users.repository';
import { SqliteUsersRepository } from '../apps/users/src/users/sqlite-users.repository';
import { UsersRepository } from '../apps/users/src/users/users.repository';
import { UsersService } from '../apps/users/src/users/users.service';
import { VerifiedCredentialsCache } from '../apps/users/src/credentials/verified-credentials.cache';

const COMMANDS: Record<string, Role> = { 'grant-admin': 'admin', 'revoke-admin': 'user' };

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    db: { type: 'string', default: process.env.USERS_DATABASE_PATH ?? 'var/db/users.db' },
    url: { type: 'string', default: process.env.USERS_DATABASE_URL || undefined },
  },
});
const [command, username, ...rest] = positionals;
if (!(command in COMMANDS) || !username || rest.length > 0) {
  console.error('usage: npm run users -- grant-admin|revoke-admin USERNAME [--db var/db/users.db | --url postgres://…]');
  process.exit(2);
}

function adapters(store: SqlStore): { users: UsersRepository; outbox: OutboxLog } {
  return store.kind === 'sqlite'
    ? { users: new SqliteUsersRepository(store), outbox: new SqliteOutbox(store) }
    : { users: new PostgresUsersRepository(store), outbox: new PostgresOutbox(store) };
}

async function main(): Promise<void> {
  const url = values.url && withPasswordFile(values.url, process.env.DATABASE_PASSWORD_FILE);
  const store = await openStore(
    { DATABASE_PATH: values.db, DATABASE_URL: url, DATABASE_POOL_SIZE: 1 },
    { sqlite: USERS_MIGRATIONS, postgres: USERS_POSTGRES_MIGRATIONS },
  );
  try {
    const { users, outbox } = adapters(store);
    const change = await new UsersService(users, new VerifiedCredentialsCache(), outbox).changeRole(username, COMMANDS[command]);
    console.log(
      change.previous === change.role
        ? `${change.username} is already ${change.role}; nothing changed`
        : `${change.username} is now ${change.role} (was ${change.previous})`,
    );
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  console.error(`users: ${error instanceof ProblemException ? error.detail : (error as Error).message}`);
  process.exitCode = 1;
});
