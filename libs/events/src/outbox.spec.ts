import Database from 'better-sqlite3';
import { join } from 'node:path';
import { openDatabase, SqliteStore } from '@app/database';
import { eventually, tempDir } from '@app/testing';
import { OUTBOX_SQL, SqliteOutbox } from './outbox';

const MIGRATIONS = [{ version: 1, name: 'outbox', up: OUTBOX_SQL }];

/** The relay's writes to the outbox, on a real file that another process may have locked. */
describe('SqliteOutbox', () => {
  const dir = tempDir('outbox');
  let store: SqliteStore;
  let outbox: SqliteOutbox;
  let path: string;
  let n = 0;

  beforeEach(async () => {
    path = join(dir.path, `outbox-${++n}.db`);
    store = new SqliteStore(openDatabase(path, MIGRATIONS));
    outbox = new SqliteOutbox(store);
    await store.write(async () => {
      await outbox.record('post.created', { id: 1 });
      await outbox.record('post.created', { id: 2 });
      await outbox.record('post.created', { id: 3 });
    });
  });
  afterEach(() => store.close());
  afterAll(() => dir.remove());

  it('marks rows published up to an id, and leaves the later ones in the backlog', async () => {
    await outbox.markPublishedUpTo(2);
    expect(await outbox.backlog()).toBe(1);
    expect((await outbox.rowsAfter(2, 10)).map((row) => row.id)).toEqual([3]);
  });

  it('waits for another process’s write lock without stopping the event loop', async () => {
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const ticks: number[] = [];
    const ticking = setInterval(() => ticks.push(Date.now()), 5);
    const marking = outbox.markPublishedUpTo(3);
    marking.catch(() => undefined); // awaited below; a failure must fail this test, not the test run
    try {
      // A mark that waited in SQLite's busy handler would hold the loop for its 5 s timeout.
      await eventually(() => ticks.length > 5, 2000);
    } finally {
      other.exec('COMMIT');
      other.close();
      clearInterval(ticking);
    }
    await marking;
    expect(await outbox.backlog()).toBe(0);
  });
});
