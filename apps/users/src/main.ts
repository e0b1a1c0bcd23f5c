import { ConfigError } from '@app/config';
import { listen } from '@app/common';
import { createUsersApp } from './users-app';
import { loadUsersConfig } from './users-config';

async function bootstrap(): Promise<void> {
  const config = loadUsersConfig();
  const app = await createUsersApp(config);
  await listen(app, config);
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
