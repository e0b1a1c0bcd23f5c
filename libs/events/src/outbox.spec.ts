import Database from 'better-sqlite3';
import { join } from 'node:path';
import { openDatabase, SqliteStore } from '@app/database';
import { eventually, tempDir } from '@app/testing';
import { EVENT_LOG_SQL, OUTBOX_SQL, SqliteOutbox } from './outbox';
import { EventPayloads } from './event-payloads';

const MIGRATIONS = [
  { version: 1, name: 'outbox', up: OUTBOX_SQL },
  { version: 2, name: 'event log', up: EVENT_LOG_SQL },
];

/** The outbox as the relay reads and renews it, on a real file that another process may have locked. */
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
    await store.write(async (tx) => {
      // The transport, not the payload, is under test here.
      for (const id of [1, 2, 3]) await outbox.record(tx, 'post.created', { id } as EventPayloads['post.created']);
    });
  });
  afterEach(() => store.close());
  afterAll(() => dir.remove());

  it('counts and reads the rows after an id', async () => {
    expect(await outbox.countAfter(2)).toBe(1);
    expect(await outbox.countAfter(0)).toBe(3);
    expect((await outbox.rowsAfter(2, 10)).map((row) => row.id)).toEqual([3]);
  });

  it('has an incarnation of its own, renewed once however many processes ask', async () => {
    const first = await outbox.incarnation();
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    const other = new SqliteOutbox(new SqliteStore(openDatabase(join(dir.path, `outbox-${++n}.db`), MIGRATIONS)));
    expect(await other.incarnation()).not.toBe(first);
    const renewed = await outbox.renewIncarnation(first);
    expect(renewed).not.toBe(first);
    // A second process that saw the old incarnation does not renew it again.
    expect(await outbox.renewIncarnation(first)).toBe(renewed);
  });

  it('waits for another process’s write lock without stopping the event loop', async () => {
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const ticks: number[] = [];
    const ticking = setInterval(() => ticks.push(Date.now()), 5);
    const before = await outbox.incarnation();
    const marking = outbox.renewIncarnation(before);
    marking.catch(() => undefined); // awaited below; a failure must fail this test, not the test run
    try {
      // A mark that waited in SQLite's busy handler would hold the loop for its 5 s timeout.
      await eventually(() => ticks.length > 5, 2000);
    } finally {
      other.exec('COMMIT');
      other.close();
      clearInterval(ticking);
    }
    expect(await marking).not.toBe(before);
  });
});
