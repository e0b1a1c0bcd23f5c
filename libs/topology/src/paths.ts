import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository's root: the nearest folder above this file whose package.json is the project's. */
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'microblog') return dir;
    if (dirname(dir) === dir) throw new Error(`no microblog package.json above ${from}`);
  }
}

/** Found once, the same from the TypeScript source (tests) and from dist/ (npm start, the bench). */
export const ROOT = findRoot(__dirname);

/**
 * The compiled entry point of every runnable part, the one place that spells them (`nest build`
 * puts each app under dist/apps/<app>/ with the monorepo's layout below it).
 */
export const ENTRY_POINTS = {
  users: 'dist/apps/users/apps/users/src/main.js',
  timelines: 'dist/apps/timelines/apps/timelines/src/main.js',
  monitor: 'dist/apps/monitor/apps/monitor/src/main.js',
  'init-db': 'dist/scripts/scripts/init-db.js',
  'users-cli': 'dist/scripts/scripts/users.js',
  'floor-server': 'dist/scripts/bench/floor-server.js',
} as const;

export type EntryPoint = keyof typeof ENTRY_POINTS;

export function entryPoint(name: EntryPoint): string {
  return join(ROOT, ENTRY_POINTS[name]);
}
