import { join } from 'node:path';
import { ROOT } from '@app/common';

/** The repository's root (kept in @app/common, which the services may import). */
export { ROOT };

/**
 * The compiled entry point of every runnable part, the one place that spells them (`nest build`
 * puts each app under dist/apps/<app>/ with the monorepo's layout below it).
 */
export const ENTRY_POINTS = {
  users: 'dist/apps/users/apps/users/src/main.js',
  timelines: 'dist/apps/timelines/apps/timelines/src/main.js',
  monitor: 'dist/apps/monitor/apps/monitor/src/main.js',
  start: 'dist/scripts/scripts/start.js',
  'run-service': 'dist/scripts/scripts/run-service.js',
  'init-db': 'dist/scripts/scripts/init-db.js',
  'users-cli': 'dist/scripts/scripts/users.js',
  'floor-server': 'dist/scripts/bench/floor-server.js',
} as const;

export type EntryPoint = keyof typeof ENTRY_POINTS;

export function entryPoint(name: EntryPoint): string {
  return join(ROOT, ENTRY_POINTS[name]);
}
