import { BaseConfig, loadConfig } from '@app/config';

export class MonitorConfig extends BaseConfig {}

export function loadMonitorConfig(env: NodeJS.ProcessEnv = process.env): MonitorConfig {
  return loadConfig(MonitorConfig, env, {
    PORT: env.MONITOR_PORT ?? 5200,
    SERVICE_NAME: 'monitor-1',
    DATABASE_PATH: 'var/db/monitor.db',
  });
}
