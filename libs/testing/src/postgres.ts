import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Set by test/postgres.global-setup.ts when the run is on PostgreSQL (npm run test:postgres). */
export const TEST_POSTGRES_URL = 'TEST_POSTGRES_URL';

export interface TestDatabase {
  url: string;
  drop: () => Promise<void>;
}

async function onServer<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: process.env[TEST_POSTGRES_URL] });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, empty PostgreSQL database for one suite when the run is on PostgreSQL; undefined
 * when it is on SQLite (the default), so a suite runs unchanged on either store.
 */
export async function testPostgresDatabase(prefix: string): Promise<TestDatabase | undefined> {
  const server = process.env[TEST_POSTGRES_URL];
  if (!server) return undefined;
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await onServer((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onServer(async (client) => void (await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))) };
}
