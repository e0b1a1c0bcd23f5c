import type { PostgresCluster } from '../libs/topology/src/postgres-cluster';

export default async function teardown(): Promise<void> {
  await (globalThis as { postgresCluster?: PostgresCluster }).postgresCluster?.stop();
}
