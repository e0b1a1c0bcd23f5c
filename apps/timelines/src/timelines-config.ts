import { Transform } from 'class-transformer';
import { IsInt, IsUrl, Max, Min } from 'class-validator';
import { BaseConfig, loadConfig, toInt } from '@app/config';

export class TimelinesConfig extends BaseConfig {
  /** Where the users service answers, e.g. http://127.0.0.1:5000. */
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  USERS_URL = 'http://127.0.0.1:5000';

  /** How long one call to users may take before it counts as a failure. */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(950)
  USERS_TIMEOUT_MS = 800;

  /** How long verified credentials and follow lists are reused (the contract allows 2 s). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(2000)
  USERS_CACHE_TTL_MS = 1000;

  /** How long the circuit stays open before one trial call to users. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60000)
  USERS_CIRCUIT_RESET_MS = 1000;
}

export function loadTimelinesConfig(env: NodeJS.ProcessEnv = process.env): TimelinesConfig {
  return loadConfig(TimelinesConfig, env, {
    PORT: 5100,
    SERVICE_NAME: 'timelines-1',
    DATABASE_PATH: 'var/db/timelines.db',
  });
}
