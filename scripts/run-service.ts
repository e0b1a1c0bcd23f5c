/**
 * `node dist/scripts/scripts/run-service.js users|timelines|monitor`: runs one service in this
 * process, from the entry point that @app/topology names (package.json, the Procfile and
 * the image all start services this way, so no compiled path is spelled twice).
 */
import { entryPoint } from '@app/topology';

const SERVICES = ['users', 'timelines', 'monitor'] as const;
const name = process.argv[2] as (typeof SERVICES)[number];

if (!SERVICES.includes(name)) {
  console.error(`usage: run-service ${SERVICES.join('|')}`);
  process.exit(2);
}
require(entryPoint(name));
