import { testPostgresDatabase } from '@app/testing';
import { describeTrending } from './trending.suite';

describeTrending('PostgreSQL', async () => {
  const database = await testPostgresDatabase('trending');
  if (!database) throw new Error('this suite runs under npm run test:postgres');
  return database;
});
