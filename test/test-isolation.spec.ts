import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..');

function specFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return specFiles(path);
    return /\.(e2e-|postgres-)?spec\.ts$/.test(entry.name) ? [path] : [];
  });
}

/**
 * A suite that boots an app in-process names its bus (a Redis of its own, or none on purpose):
 * left at the default, REDIS_URL is the Redis `npm start` runs on 6379, and a test run beside a
 * running system would publish its users into it and read its events.
 */
describe('test isolation', () => {
  it('every suite that boots an app in-process sets REDIS_URL', () => {
    const booting = specFiles(ROOT).filter((path) => /\bcreate\w*App\(|createTestApp\(|NestFactory\.create/.test(readFileSync(path, 'utf8')));
    expect(booting.length).toBeGreaterThan(0);
    const unnamed = booting.filter((path) => !readFileSync(path, 'utf8').includes('REDIS_URL')).map((path) => relative(ROOT, path));
    expect(unnamed).toEqual([]);
  });
});
