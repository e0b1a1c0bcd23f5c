import { join } from 'node:path';
import { appliedVersions, openDatabase } from '@app/database';
import { tempDir } from '@app/testing';
import { TIMELINES_MIGRATIONS } from './timelines.migrations';

describe('timelines migrations', () => {
  const dir = tempDir('timelines-migrations');
  afterAll(() => dir.remove());

  it('migrate a database made by the first schema: rows kept, ids never reused, names without case', () => {
    const path = join(dir.path, 'timelines.db');
    const old = openDatabase(path, TIMELINES_MIGRATIONS.slice(0, 1));
    const insert = old.prepare('INSERT INTO posts (username, message, created_at, repost_of) VALUES (?, ?, ?, ?)');
    insert.run('Ann', 'first', 1, null);
    insert.run('ann', 'repost', 2, 1);
    insert.run('bob', 'newest', 3, null);
    old.prepare('INSERT INTO likes (post_id, username, created_at) VALUES (1, ?, 4)').run('bob');
    old.prepare('DELETE FROM posts WHERE id = 3').run();
    old.close();

    const db = openDatabase(path, TIMELINES_MIGRATIONS);
    expect(appliedVersions(db)).toEqual(TIMELINES_MIGRATIONS.map((m) => m.version));
    // The stored counters were filled from the rows they count (migration 4).
    expect(db.prepare('SELECT likes, reposts, replies FROM posts WHERE id = 1').get()).toEqual({ likes: 1, reposts: 1, replies: 0 });
    expect(db.prepare('SELECT id, username, repost_of FROM posts ORDER BY id').all()).toEqual([
      { id: 1, username: 'Ann', repost_of: null },
      { id: 2, username: 'ann', repost_of: 1 },
    ]);
    // Ids deleted before the migration are unknown to it; from the migration on, none is reused.
    db.prepare('DELETE FROM posts WHERE id = 2').run();
    const next = db.prepare('INSERT INTO posts (username, message, created_at) VALUES (?, ?, ?)').run('cy', 'new', 5);
    expect(Number(next.lastInsertRowid)).toBe(3);
    db.prepare('DELETE FROM posts WHERE id = 3').run();
    const after = db.prepare('INSERT INTO posts (username, message, created_at) VALUES (?, ?, ?)').run('cy', 'newer', 6);
    expect(Number(after.lastInsertRowid)).toBe(4);
    // The column's collation: no query needs its own COLLATE NOCASE.
    expect(db.prepare('SELECT COUNT(*) FROM posts WHERE username = ?').pluck().get('ANN')).toBe(1);
    // Likes survive the rebuild.
    expect(db.prepare('SELECT COUNT(*) FROM likes').pluck().get()).toBe(1);
    db.prepare('DELETE FROM posts WHERE id = 1').run();
    expect(db.prepare('SELECT COUNT(*) FROM likes').pluck().get()).toBe(0);
    db.close();
  });
});
