/**
 * `npm run test:postgres`: one throwaway PostgreSQL cluster (Debian's postgresql) for the
 * whole run, on a spare port; each suite makes its own database in it (testPostgresDatabase).
 * Relative imports: jest runs this outside the suites' module mapping.
 */
import { freePort } from '../libs/topology/src/free-port';
import { PostgresCluster } from '../libs/topology/src/postgres-cluster';
import { TEST_POSTGRES_URL } from '../libs/testing/src/postgres';

export default async function setup(): Promise<void> {
  const cluster = new PostgresCluster(await freePort());
  await cluster.start({ max_connections: '200' });
  (globalThis as { postgresCluster?: PostgresCluster }).postgresCluster = cluster;
  process.env[TEST_POSTGRES_URL] = cluster.url;
}
