import { BaseConfig, ConfigError, DEVELOPMENT_JWT_SECRET, loadConfig } from './config';

describe('loadConfig', () => {
  const defaults = { PORT: 5000, SERVICE_NAME: 'users-1', DATABASE_PATH: 'var/db/users.db' };

  it('has defaults that just work, with a development secret outside production', () => {
    const config = loadConfig(BaseConfig, {}, defaults);
    expect(config).toMatchObject({ PORT: 5000, HOST: '0.0.0.0', LOG_LEVEL: 'info', JWT_SECRET: DEVELOPMENT_JWT_SECRET });
  });

  it('reads numbers and names from the environment', () => {
    const config = loadConfig(BaseConfig, { PORT: '6001', SHUTDOWN_DRAIN_MS: '2500', LOG_LEVEL: 'warn' }, defaults);
    expect(config).toMatchObject({ PORT: 6001, SHUTDOWN_DRAIN_MS: 2500, LOG_LEVEL: 'warn' });
  });

  it('refuses a production start without a secret, and bad values, naming the setting', () => {
    expect(() => loadConfig(BaseConfig, { NODE_ENV: 'production' }, defaults)).toThrow(/JWT_SECRET: must be set/);
    expect(() => loadConfig(BaseConfig, { PORT: 'eighty' }, defaults)).toThrow(ConfigError);
    expect(() => loadConfig(BaseConfig, { LOG_LEVEL: 'loud' }, defaults)).toThrow(/LOG_LEVEL/);
    expect(() => loadConfig(BaseConfig, { JWT_SECRET: 'short' }, defaults)).toThrow(/JWT_SECRET/);
  });
});
