import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@app/testing';
import { BaseConfig, ConfigError, DEVELOPMENT_JWT_SECRET, loadConfig } from './config';
import { ensureSecretFile } from './secret-file';

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

  it('takes a postgres:// URL for PostgreSQL, refuses anything else, and keeps SQLite when it is empty', () => {
    const config = loadConfig(BaseConfig, { DATABASE_URL: 'postgres://microblog@db:5432/users', DATABASE_POOL_SIZE: '4' }, defaults);
    expect(config).toMatchObject({ DATABASE_URL: 'postgres://microblog@db:5432/users', DATABASE_POOL_SIZE: 4 });
    expect(() => loadConfig(BaseConfig, { DATABASE_URL: 'mysql://db/users' }, defaults)).toThrow(/DATABASE_URL must be a postgres:\/\/ URL/);
    expect(() => loadConfig(BaseConfig, { DATABASE_POOL_SIZE: '0' }, defaults)).toThrow(/DATABASE_POOL_SIZE/);
    expect(loadConfig(BaseConfig, { DATABASE_URL: '' }, defaults)).toMatchObject({ DATABASE_URL: undefined, DATABASE_PATH: 'var/db/users.db' });
  });

  it('puts the password from DATABASE_PASSWORD_FILE into DATABASE_URL, and names a file it cannot read', () => {
    const dir = tempDir('db-password');
    try {
      const path = join(dir.path, 'password');
      writeFileSync(path, 'p@ss:word/1\n');
      const config = loadConfig(BaseConfig, { DATABASE_URL: 'postgres://microblog@db:5432/users', DATABASE_PASSWORD_FILE: path }, defaults);
      expect(new URL(config.DATABASE_URL!).password).toBe(encodeURIComponent('p@ss:word/1'));
      expect(decodeURIComponent(new URL(config.DATABASE_URL!).password)).toBe('p@ss:word/1');
      expect(() => loadConfig(BaseConfig, { DATABASE_URL: 'postgres://db/users', DATABASE_PASSWORD_FILE: join(dir.path, 'none') }, defaults)).toThrow(
        /DATABASE_PASSWORD_FILE: cannot read/,
      );
    } finally {
      dir.remove();
    }
  });

  it('never serves production with a published secret', () => {
    for (const secret of [DEVELOPMENT_JWT_SECRET, 'compose-development-secret-change-me']) {
      expect(() => loadConfig(BaseConfig, { NODE_ENV: 'production', JWT_SECRET: secret }, defaults)).toThrow(/published/);
    }
  });

  it('reads the secret from JWT_SECRET_FILE, made once and shared by every reader', () => {
    const dir = tempDir('secret');
    try {
      const path = join(dir.path, 'nested', 'jwt-secret');
      const made = ensureSecretFile(path);
      expect(made).toMatch(/^[0-9a-f]{64}$/);
      expect(ensureSecretFile(path)).toBe(made);
      const config = loadConfig(BaseConfig, { NODE_ENV: 'production', JWT_SECRET_FILE: path }, defaults);
      expect(config.JWT_SECRET).toBe(made);
      expect(loadConfig(BaseConfig, { JWT_SECRET: 'from the environment wins', JWT_SECRET_FILE: path }, defaults).JWT_SECRET).toBe('from the environment wins');
      writeFileSync(join(dir.path, 'short'), 'short\n');
      expect(() => loadConfig(BaseConfig, { JWT_SECRET_FILE: join(dir.path, 'short') }, defaults)).toThrow(/JWT_SECRET/);
      expect(() => loadConfig(BaseConfig, { JWT_SECRET_FILE: join(dir.path, 'missing') }, defaults)).toThrow(/JWT_SECRET_FILE: cannot read/);
    } finally {
      dir.remove();
    }
  });
});
