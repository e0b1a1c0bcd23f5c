import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, validateSync } from 'class-validator';
import { readFileSync } from 'node:fs';

/** Environment values are strings; whole numbers are read as numbers for validation. */
export const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

/** `true` and `false` as booleans; anything else is left for validation to refuse. */
export const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** What DATABASE_URL (and init-db's --users-url, --timelines-url) must look like. */
export const POSTGRES_URL = /^postgres(ql)?:\/\/\S+$/;

/** Settings every service reads from its environment; each has a default that works locally. */
export class BaseConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number;

  @IsString()
  @IsNotEmpty()
  HOST = '0.0.0.0';

  /** How this process names itself in X-Served-By and in its logs, e.g. timelines-2. */
  @IsString()
  @IsNotEmpty()
  SERVICE_NAME: string;

  @IsString()
  @IsNotEmpty()
  DATABASE_PATH: string;

  /** PostgreSQL instead of the SQLite file (postgres://user:password@host:port/database). */
  @IsOptional()
  @Matches(POSTGRES_URL, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  /** A file holding DATABASE_URL's password (a Docker secret), put into the URL at start-up. */
  @IsOptional()
  @IsString()
  DATABASE_PASSWORD_FILE?: string;

  /** Connections to PostgreSQL this process may hold. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  DATABASE_POOL_SIZE = 10;

  @IsString()
  @MinLength(16)
  JWT_SECRET: string;

  /** A file holding JWT_SECRET (a Docker secret or a shared volume), read when JWT_SECRET is not set. */
  @IsOptional()
  @IsString()
  JWT_SECRET_FILE?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** `pretty`: one coloured line per entry, for a terminal (the default when stdout is one); `json` otherwise. */
  @IsIn(['json', 'pretty'])
  LOG_FORMAT = process.stdout.isTTY ? 'pretty' : 'json';

  /** Which peers may set X-Forwarded-For (proxy-addr names or CIDRs, comma separated). */
  @IsString()
  TRUSTED_PROXIES = 'loopback,uniquelocal';

  /** The event bus (Redis 7 streams). */
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['redis', 'rediss'] }, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Origins allowed to call the API from a browser, comma separated (e.g. https://app.example.com); none by default. */
  @Matches(/^\s*$|^\s*https?:\/\/[^\s,/]+\s*(,\s*https?:\/\/[^\s,/]+\s*)*$/, {
    message: 'CORS_ORIGINS must be a comma-separated list of origins such as https://app.example.com (scheme, host and port only)',
  })
  CORS_ORIGINS = '';

  /**
   * The origin clients reach the system at (e.g. https://microblog.example), for the absolute
   * URLs of Mastodon's answers; by default each request's scheme and Host.
   */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s,/]+$/, { message: 'PUBLIC_ORIGIN must be an origin such as https://microblog.example (scheme, host and port only)' })
  PUBLIC_ORIGIN?: string;

  /** How long a stopping replica keeps serving while failing readiness, so HAProxy can take it out. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60000)
  SHUTDOWN_DRAIN_MS = 0;

  /**
   * Tests only: a request may name a fault point (`X-Fault-Point`) at which its process kills
   * itself with SIGKILL, so a test can stop a replica exactly there. Refused in production.
   */
  @Transform(toBoolean)
  @IsBoolean({ message: 'FAULT_INJECTION must be true or false' })
  FAULT_INJECTION = false;

  /**
   * Start only once init-db has filled (or found filled) the database (the swarm, where the
   * services and the init job start together): until then the service waits, not listening.
   */
  @Transform(toBoolean)
  @IsBoolean({ message: 'WAIT_FOR_INIT must be true or false' })
  WAIT_FOR_INIT = false;
}

/** The origins CORS_ORIGINS lists. */
export function corsOrigins(config: BaseConfig): string[] {
  return config.CORS_ORIGINS.split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
}

export const DEVELOPMENT_JWT_SECRET = 'development-only-secret-change-me';

/** Secrets anyone can read in this repository's history: never accepted in production. */
const PUBLIC_SECRETS = [DEVELOPMENT_JWT_SECRET, 'compose-development-secret-change-me'];

export class ConfigError extends Error {}

/**
 * `url` with the password read from `file` (a Docker secret), so that no password need be
 * written in an environment variable; without a file, `url` as it is. A URL that is not one is
 * left for validation to refuse.
 */
export function withPasswordFile(url: string, file: string | undefined): string {
  if (!file) return url;
  let password: string;
  try {
    password = readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new ConfigError(`invalid configuration:\n  DATABASE_PASSWORD_FILE: cannot read ${file} (${(error as Error).message})`);
  }
  try {
    const parsed = new URL(url);
    parsed.password = encodeURIComponent(password);
    return parsed.toString();
  } catch {
    return url;
  }
}

/**
 * Reads and validates the environment into a typed config. JWT_SECRET comes from the
 * environment or from the file JWT_SECRET_FILE names. A production start without one, or
 * with a secret published in this repository, is refused; elsewhere a fixed development
 * secret keeps `npm run start:users` and `start:timelines` working together without any setup.
 */
export function loadConfig<T extends BaseConfig>(type: new () => T, env: NodeJS.ProcessEnv, defaults: Partial<Record<keyof T, unknown>>): T {
  const raw: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') raw[key] = value;
  }
  if (raw.JWT_SECRET === undefined && typeof raw.JWT_SECRET_FILE === 'string') {
    try {
      raw.JWT_SECRET = readFileSync(raw.JWT_SECRET_FILE, 'utf8').trim();
    } catch (error) {
      throw new ConfigError(`invalid configuration:\n  JWT_SECRET_FILE: cannot read ${raw.JWT_SECRET_FILE} (${(error as Error).message})`);
    }
  }
  if (raw.NODE_ENV === 'production') {
    if (raw.JWT_SECRET === undefined) {
      throw new ConfigError(
        'invalid configuration:\n  JWT_SECRET: must be set (or JWT_SECRET_FILE) when NODE_ENV=production (the same secret for every service)',
      );
    }
    if (raw.FAULT_INJECTION === 'true' || raw.FAULT_INJECTION === true) {
      throw new ConfigError('invalid configuration:\n  FAULT_INJECTION: is for tests; it is refused when NODE_ENV=production');
    }
    if (PUBLIC_SECRETS.includes(String(raw.JWT_SECRET))) {
      throw new ConfigError('invalid configuration:\n  JWT_SECRET: is a published example secret; anyone could forge tokens with it');
    }
  }
  if (typeof raw.DATABASE_URL === 'string' && typeof raw.DATABASE_PASSWORD_FILE === 'string') {
    raw.DATABASE_URL = withPasswordFile(raw.DATABASE_URL, raw.DATABASE_PASSWORD_FILE);
  }
  raw.JWT_SECRET ??= DEVELOPMENT_JWT_SECRET;
  const config = plainToInstance(type, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false });
  if (errors.length > 0) {
    const lines = errors.map((error) => `${error.property}: ${Object.values(error.constraints ?? {}).join('; ')}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return config;
}
