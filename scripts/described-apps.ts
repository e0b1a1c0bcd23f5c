import { DynamicModule } from '@nestjs/common';
import { describingApi } from '@app/common';
import { BaseConfig } from '@app/config';

/** A service to describe: its name, its root module and the config it was made with. */
export interface DescribedApp {
  name: string;
  module: DynamicModule;
  config: BaseConfig;
}

/**
 * Every service's root module, loaded only after describingApi(): the API decorators of its
 * controllers and DTOs write their metadata from then on (so the apps are required here, not
 * imported). Used by the document's builder (scripts/openapi.ts) and its test.
 */
export function describedApps(env: NodeJS.ProcessEnv): DescribedApp[] {
  describingApi();
  const { UsersAppModule } = require('../apps/users/src/users-app.module') as typeof import('../apps/users/src/users-app.module');
  const { loadUsersConfig } = require('../apps/users/src/users-config') as typeof import('../apps/users/src/users-config');
  const { TimelinesAppModule } = require('../apps/timelines/src/timelines-app.module') as typeof import('../apps/timelines/src/timelines-app.module');
  const { loadTimelinesConfig } = require('../apps/timelines/src/timelines-config') as typeof import('../apps/timelines/src/timelines-config');
  const { MonitorAppModule } = require('../apps/monitor/src/monitor-app.module') as typeof import('../apps/monitor/src/monitor-app.module');
  const { loadMonitorConfig } = require('../apps/monitor/src/monitor-config') as typeof import('../apps/monitor/src/monitor-config');
  const users = loadUsersConfig(env);
  const timelines = loadTimelinesConfig(env);
  const monitor = loadMonitorConfig(env);
  return [
    { name: 'users', module: UsersAppModule.forRoot(users), config: users },
    { name: 'timelines', module: TimelinesAppModule.forRoot(timelines), config: timelines },
    { name: 'monitor', module: MonitorAppModule.forRoot(monitor), config: monitor },
  ];
}
