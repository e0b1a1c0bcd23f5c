/**
 * `node dist/scripts/scripts/ensure-secret.js PATH`: makes the installation's JWT secret in
 * PATH unless it exists (compose's init step, on a volume every service mounts read-only),
 * or writes $JWT_SECRET there when the operator gave one. Prints nothing secret.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensureSecretFile } from '@app/config';

const path = process.argv[2];
if (!path) {
  console.error('usage: ensure-secret PATH');
  process.exit(2);
}
const given = process.env.JWT_SECRET;
if (given) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, given, { mode: 0o600 });
  console.error(`ensure-secret: ${path} holds the JWT_SECRET given`);
} else {
  const existed = existsSync(path);
  ensureSecretFile(path);
  console.error(`ensure-secret: ${path} ${existed ? 'kept' : 'made (random, 256 bits)'}`);
}
