import { describeTrending } from '../../test/trending.suite';

// The same suite runs on PostgreSQL in npm run test:postgres (apps/monitor/test/trending.postgres-spec.ts).
describeTrending('SQLite', async () => undefined);
