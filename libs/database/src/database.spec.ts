import { join } from 'node:path';
import { tempDir } from '@app/testing';
import { openDatabase } from './database';

describe('openDatabase', () => {
  const dir = tempDir('database');
  afterAll(() => dir.remove());

  it('opens a service file in WAL mode with a 2 MiB page cache (about SQLite’s own default), not better-sqlite3’s 16 MB', () => {
    const db = openDatabase(join(dir.path, 'service.db'), []);
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      // Negative: KiB. A replica kept what one scan had read in a 16 MB cache (docs/benchmarks.md).
      expect(db.pragma('cache_size', { simple: true })).toBe(-2048);
    } finally {
      db.close();
    }
  });
});
