/**
 * `npm run test:postgres`: one throwaway PostgreSQL cluster (Debian's postgresql) for the
 * whole run, on a spare port; each suite makes its own database in it (testPostgresDatabase).
 * Relative imports: jest runs this outside the suites' module mapping.
 */
import { createServer } from 'node:net';
import { PostgresCluster } from '../libs/topology/src/postgres-cluster';
import { TEST_POSTGRES_URL } from '../libs/testing/src/postgres';

function spare(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export default async function setup(): Promise<void> {
  const cluster = new PostgresCluster(await spare());
  await cluster.start({ max_connections: '200' });
  (globalThis as { postgresCluster?: PostgresCluster }).postgresCluster = cluster;
  process.env[TEST_POSTGRES_URL] = cluster.url;
}
