import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsString, Max, Min, MinLength, validateSync } from 'class-validator';

/** Environment values are strings; whole numbers are read as numbers for validation. */
export const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;

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

  @IsString()
  @MinLength(16)
  JWT_SECRET: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Which peers may set X-Forwarded-For (proxy-addr names or CIDRs, comma separated). */
  @IsString()
  TRUSTED_PROXIES = 'loopback,uniquelocal';

  /** How long a stopping replica keeps serving while failing readiness, so HAProxy can take it out. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60000)
  SHUTDOWN_DRAIN_MS = 0;
}

export const DEVELOPMENT_JWT_SECRET = 'development-only-secret-change-me';

export class ConfigError extends Error {}

/**
 * Reads and validates the environment into a typed config. A production start without
 * JWT_SECRET is refused; elsewhere a fixed development secret keeps `npm run start:users`
 * and `start:timelines` working together without any setup.
 */
export function loadConfig<T extends BaseConfig>(
  type: new () => T,
  env: NodeJS.ProcessEnv,
  defaults: Partial<Record<keyof T, unknown>>,
): T {
  const raw: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') raw[key] = value;
  }
  if (raw.JWT_SECRET === undefined) {
    if (raw.NODE_ENV === 'production') {
      throw new ConfigError('invalid configuration:\n  JWT_SECRET: must be set when NODE_ENV=production (the same secret for every service)');
    }
    raw.JWT_SECRET = DEVELOPMENT_JWT_SECRET;
  }
  const config = plainToInstance(type, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false });
  if (errors.length > 0) {
    const lines = errors.map(
      (error) => `${error.property}: ${Object.values(error.constraints ?? {}).join('; ')}`,
    );
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return config;
}
