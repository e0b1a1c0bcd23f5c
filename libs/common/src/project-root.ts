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
