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
import { createApp, describeApi, mergeApiDocuments } from '@app/common';
import { ROOT } from '@app/topology';
import { describedApps } from './described-apps';

const ENV = { DATABASE_PATH: ':memory:', LOG_LEVEL: 'silent', REDIS_URL: 'redis://127.0.0.1:1', NODE_ENV: 'development' };

async function main(): Promise<void> {
  Logger.overrideLogger(false);
  const parts = [];
  for (const { name, module, config } of describedApps(ENV)) {
    const app = await createApp(module, config);
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
