import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { join } from 'node:path';
import { createApp, serveApiReference } from '@app/common';
import { ROOT } from '@app/topology';
import { UsersAppModule } from './users-app.module';
import { UsersConfig } from './users-config';

/** Users also serves the API's reference (/docs, /openapi.json): it always runs exactly once. */
export async function createUsersApp(config: UsersConfig): Promise<NestFastifyApplication> {
  const app = await createApp(UsersAppModule.forRoot(config), config);
  serveApiReference(app, join(ROOT, 'dist', 'openapi.json'));
  return app;
}
