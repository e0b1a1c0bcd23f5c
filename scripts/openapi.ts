/**
 * `node dist/scripts/scripts/openapi.js [OUT]` (run by `npm run build`): one OpenAPI 3.1
 * document for the whole API, written to dist/openapi.json. Each service's app is built
 * in-process from its own module (its routes, DTOs and response decorators; no port, no
 * database file, no bus), described, and the parts are merged. The users service serves the
 * result at /openapi.json and /docs.
 */
import { Logger } from '@nestjs/common';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, describeApi, describingApi, mergeApiDocuments } from '@app/common';
import { ROOT } from '@app/topology';

// Before any controller or DTO is loaded (so the apps are required below, not imported):
// their API decorators write metadata only from then on.
describingApi();
const { MonitorAppModule } = require('../apps/monitor/src/monitor-app.module') as typeof import('../apps/monitor/src/monitor-app.module');
const { loadMonitorConfig } = require('../apps/monitor/src/monitor-config') as typeof import('../apps/monitor/src/monitor-config');
const { TimelinesAppModule } = require('../apps/timelines/src/timelines-app.module') as typeof import('../apps/timelines/src/timelines-app.module');
const { loadTimelinesConfig } = require('../apps/timelines/src/timelines-config') as typeof import('../apps/timelines/src/timelines-config');
const { UsersAppModule } = require('../apps/users/src/users-app.module') as typeof import('../apps/users/src/users-app.module');
const { loadUsersConfig } = require('../apps/users/src/users-config') as typeof import('../apps/users/src/users-config');

const ENV = { DATABASE_PATH: ':memory:', LOG_LEVEL: 'silent', REDIS_URL: 'redis://127.0.0.1:1', NODE_ENV: 'development' };

async function main(): Promise<void> {
  Logger.overrideLogger(false);
  const services = [
    ['users', () => loadUsersConfig(ENV), (config: ReturnType<typeof loadUsersConfig>) => UsersAppModule.forRoot(config)],
    ['timelines', () => loadTimelinesConfig(ENV), (config: ReturnType<typeof loadTimelinesConfig>) => TimelinesAppModule.forRoot(config)],
    ['monitor', () => loadMonitorConfig(ENV), (config: ReturnType<typeof loadMonitorConfig>) => MonitorAppModule.forRoot(config)],
  ] as const;
  const parts = [];
  for (const [name, loadConfig, module] of services) {
    const config = loadConfig();
    const app = await createApp(module(config as never), config);
    parts.push(describeApi(app, name));
    await app.close();
  }
  const out = process.argv[2] ?? join(ROOT, 'dist', 'openapi.json');
  writeFileSync(out, JSON.stringify(mergeApiDocuments(parts), null, 2));
  console.error(`openapi: ${Object.keys(mergeApiDocuments(parts).paths).length} paths written to ${out}`);
}

main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    console.error(`openapi: ${(error as Error).stack ?? error}`);
    process.exit(1);
  });
