import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '@app/common';
import { UsersAppModule } from './users-app.module';
import { UsersConfig } from './users-config';

export function createUsersApp(config: UsersConfig): Promise<NestFastifyApplication> {
  return createApp(UsersAppModule.forRoot(config), config);
}
