import { join } from 'node:path';
import { appliedVersions, openDatabase } from '@app/database';
import { tempDir } from '@app/testing';
import { HOUR } from '../activity/activity.repository';
import { MONITOR_MIGRATIONS } from './monitor.migrations';

describe('monitor migrations', () => {
  const dir = tempDir('monitor-migrations');
  afterAll(() => dir.remove());

  it('count the posts written before posts_per_hour, by author without case and by hour, and keep counting after', () => {
    const path = join(dir.path, 'monitor.db');
    const old = openDatabase(path, MONITOR_MIGRATIONS.slice(0, 3));
    const insert = old.prepare('INSERT INTO posts (id, username, message, created_at) VALUES (?, ?, ?, ?)');
    insert.run(1, 'Ann', 'one', 5 * HOUR + 1);
    insert.run(2, 'ann', 'two', 5 * HOUR + 2);
    insert.run(3, 'ann', 'three', 6 * HOUR);
    insert.run(4, 'bob', 'four', 6 * HOUR - 1);
    old.close();

    const db = openDatabase(path, MONITOR_MIGRATIONS);
    expect(appliedVersions(db)).toEqual(MONITOR_MIGRATIONS.map((m) => m.version));
    const buckets = () => db.prepare('SELECT hour, lower(username) AS author, posts FROM posts_per_hour ORDER BY hour, author').all();
    expect(buckets()).toEqual([
      { hour: 5, author: 'ann', posts: 2 },
      { hour: 5, author: 'bob', posts: 1 },
      { hour: 6, author: 'ann', posts: 1 },
    ]);
    db.prepare('INSERT INTO posts (id, username, message, created_at) VALUES (?, ?, ?, ?)').run(5, 'ANN', 'five', 6 * HOUR + 7);
    db.prepare('DELETE FROM posts WHERE id IN (1, 4)').run();
    expect(buckets()).toEqual([
      { hour: 5, author: 'ann', posts: 1 },
      { hour: 6, author: 'ann', posts: 2 },
    ]);
    db.close();
  });
});
