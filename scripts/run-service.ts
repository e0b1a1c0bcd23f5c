/**
 * `node dist/scripts/scripts/run-service.js users|timelines|monitor`: runs one service in this
 * process, from the entry point that @app/topology names, with the services' V8 flags
 * (npm start's topology, package.json, the Procfile and the image all start services this way,
 * so no compiled path or flag is spelled twice).
 */
import { setFlagsFromString } from 'node:v8';
import { entryPoint, SERVICE_V8_FLAGS } from '@app/topology';

const SERVICES = ['users', 'timelines', 'monitor'] as const;
const name = process.argv[2] as (typeof SERVICES)[number];

if (!SERVICES.includes(name)) {
  console.error(`usage: run-service ${SERVICES.join('|')}`);
  process.exit(2);
}
// Before the service's code is loaded, so that none of it is compiled under V8's defaults.
for (const flag of SERVICE_V8_FLAGS) setFlagsFromString(flag);
require(entryPoint(name));
