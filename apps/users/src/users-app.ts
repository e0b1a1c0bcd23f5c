import fastifyCookie from '@fastify/cookie';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { createApp, ROOT, serveApiReference } from '@app/common';
import { UsersAppModule } from './users-app.module';
import { UsersConfig } from './users-config';

/** Users also serves the API's reference (/docs, /openapi.json): it always runs exactly once. */
export async function createUsersApp(config: UsersConfig): Promise<NestFastifyApplication> {
  const app = await createApp(UsersAppModule.forRoot(config), config);
  // Signed cookies (the sign-in page's CSRF secret), with a key derived from the shared secret.
  await app.register(fastifyCookie as never, { secret: createHmac('sha256', config.JWT_SECRET).update('cookie-signing').digest('base64url') });
  serveApiReference(app, join(ROOT, 'dist', 'openapi.json'));
  return app;
}
