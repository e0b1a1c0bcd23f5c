import { BaseConfig, loadConfig } from '@app/config';

export class UsersConfig extends BaseConfig {}

export function loadUsersConfig(env: NodeJS.ProcessEnv = process.env): UsersConfig {
  return loadConfig(UsersConfig, env, {
    PORT: 5000,
    SERVICE_NAME: 'users-1',
    DATABASE_PATH: 'var/db/users.db',
  });
}
