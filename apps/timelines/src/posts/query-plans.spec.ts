import { openDatabase } from '@app/database';
import { TIMELINES_MIGRATIONS } from '../database/timelines.migrations';
import { fullTableScans } from './query-plans';

describe('timeline query plans', () => {
  it('read every timeline, post and comment list through an index, never a full scan of posts', () => {
    const db = openDatabase(':memory:', TIMELINES_MIGRATIONS);
    const insert = db.prepare('INSERT INTO posts (username, message, created_at, in_reply_to) VALUES (?, ?, ?, ?)');
    for (let i = 1; i <= 2000; i++) insert.run(`author_${i % 50}`, 'm', i, i > 1500 ? i - 1000 : null);
    db.exec('ANALYZE');
    expect(fullTableScans(db)).toEqual([]);
    db.close();
  });

  it('would notice a query that scans the table', () => {
    const db = openDatabase(':memory:', TIMELINES_MIGRATIONS);
    db.exec('DROP INDEX posts_comments');
    expect(fullTableScans(db).join('\n')).toMatch(/commentsPage: SCAN p/);
    db.close();
  });
});
