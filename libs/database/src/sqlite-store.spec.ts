import Database from 'better-sqlite3';
import { join } from 'node:path';
import { eventually, tempDir } from '@app/testing';
import { openDatabase } from './database';
import { SqliteStore } from './sqlite-store';

const NOTES = [{ version: 1, name: 'notes', up: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)' }];

/** The asynchronous gate over one better-sqlite3 connection, on a real file. */
describe('SqliteStore', () => {
  const dir = tempDir('sqlite-store');
  let n = 0;
  let store: SqliteStore;
  let path: string;
  const insert = (body: string) => store.use(() => store.db.prepare('INSERT INTO notes (body) VALUES (?)').run(body));
  const bodies = () => store.use(() => store.db.prepare('SELECT body FROM notes ORDER BY id').pluck().all());

  beforeEach(() => {
    path = join(dir.path, `store-${++n}.db`);
    store = new SqliteStore(openDatabase(path, NOTES));
  });
  afterEach(() => store.close());
  afterAll(() => dir.remove());

  it('keeps a read from outside a transaction waiting until the commit, so it never sees uncommitted rows', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const writing = store.write(async () => {
      await insert('first');
      await held;
      await insert('second');
    });
    await new Promise((resolve) => setImmediate(resolve));
    const read = bodies();
    let seen: unknown[] | undefined;
    void read.then((rows) => (seen = rows));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toBeUndefined();
    release();
    await writing;
    expect(await read).toEqual(['first', 'second']);
  });

  it('rolls the whole transaction back when its work throws, and runs the next one after it', async () => {
    const failing = store.write(async () => {
      await insert('lost');
      throw new Error('refused');
    });
    const next = store.write(async () => insert('kept'));
    await expect(failing).rejects.toThrow('refused');
    await next;
    expect(await bodies()).toEqual(['kept']);
    expect(store.db.inTransaction).toBe(false);
  });

  it('waits for another process’s write lock without stopping the event loop', async () => {
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const ticks: number[] = [];
    const ticking = setInterval(() => ticks.push(Date.now()), 5);
    const writing = store.write(async () => insert('after the other'));
    writing.catch(() => undefined); // awaited below; a failure must fail this test, not the test run
    try {
      // Bounded below SQLite's 5 s busy timeout, which a blocking wait would sit out; on a
      // loaded machine the timer may tick late, so the test waits for the ticks, not a time.
      await eventually(() => ticks.length > 5, 2000); // the loop ran while the write waited
      expect(await store.use(() => store.db.inTransaction)).toBe(false);
    } finally {
      // Released whatever happened, so a failure above cannot leave the write to time out
      // after the test (its rejection would then be nobody's).
      other.exec('COMMIT');
      other.close();
      clearInterval(ticking);
    }
    await writing;
    expect(await bodies()).toEqual(['after the other']);
  });

  describe('writes queued behind another process’s write lock (group commit)', () => {
    let other: Database.Database;
    const holdLock = () => other.exec('BEGIN IMMEDIATE');
    const releaseLock = () => other.exec('COMMIT');
    const seenElsewhere = () => other.prepare('SELECT body FROM notes ORDER BY id').pluck().all();
    beforeEach(() => (other = new Database(path)));
    afterEach(() => {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
    });

    it('share one transaction: none is visible elsewhere before the last has run, and each answers after the commit', async () => {
      holdLock();
      const seenDuringSecond: unknown[][] = [];
      const seenOnAnswer: unknown[][] = [];
      const first = store.write(async () => insert('first')).then(() => seenOnAnswer.push(seenElsewhere()));
      const second = store
        .write(async () => {
          await insert('second');
          seenDuringSecond.push(seenElsewhere());
        })
        .then(() => seenOnAnswer.push(seenElsewhere()));
      await new Promise((resolve) => setTimeout(resolve, 20));
      releaseLock();
      await Promise.all([first, second]);
      expect(seenDuringSecond).toEqual([[]]);
      expect(seenOnAnswer).toEqual([
        ['first', 'second'],
        ['first', 'second'],
      ]);
    });

    it('undo only the changes of a work that throws', async () => {
      holdLock();
      const kept = store.write(async () => insert('kept'));
      const failing = store.write(async () => {
        await insert('undone');
        throw new Error('refused');
      });
      const after = store.write(async () => insert('also kept'));
      releaseLock();
      const outcomes = await Promise.allSettled([kept, failing, after]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await bodies()).toEqual(['kept', 'also kept']);
      expect(store.db.inTransaction).toBe(false);
    });

    it('all fail when SQLite rolls the whole transaction back, and nothing of them is kept', async () => {
      holdLock();
      const before = store.write(async () => insert('lost with the rest'));
      const breaking = store.write(async () => {
        await insert('lost');
        store.db.exec('ROLLBACK'); // what SQLite does itself on an I/O error or a full disk
        throw new Error('disk I/O error');
      });
      releaseLock();
      const outcomes = await Promise.allSettled([before, breaking]);
      expect(outcomes.map((outcome) => (outcome.status === 'rejected' ? (outcome.reason as Error).message : 'kept'))).toEqual([
        'disk I/O error',
        'disk I/O error',
      ]);
      await store.write(async () => insert('next'));
      expect(await bodies()).toEqual(['next']);
    });
  });

  describe('remember', () => {
    let reads = 0;
    const rememberedBodies = () =>
      store.remember('bodies', () => {
        reads++;
        return store.db.prepare('SELECT body FROM notes ORDER BY id').pluck().all();
      });
    beforeEach(() => (reads = 0));

    it('answers from memory while nothing has changed', async () => {
      await insert('one');
      expect(await rememberedBodies()).toEqual(['one']);
      expect(await rememberedBodies()).toEqual(['one']);
      expect(reads).toBe(1);
    });

    it('reads again after a write of this process, in a transaction or not', async () => {
      expect(await rememberedBodies()).toEqual([]);
      await insert('outside a transaction');
      expect(await rememberedBodies()).toEqual(['outside a transaction']);
      await store.write(async () => insert('inside one'));
      expect(await rememberedBodies()).toEqual(['outside a transaction', 'inside one']);
      expect(reads).toBe(3);
    });

    it('reads again after another process has committed', async () => {
      expect(await rememberedBodies()).toEqual([]);
      const other = new Database(path);
      try {
        other.prepare('INSERT INTO notes (body) VALUES (?)').run('from elsewhere');
      } finally {
        other.close();
      }
      expect(await rememberedBodies()).toEqual(['from elsewhere']);
      expect(reads).toBe(2);
    });

    it('remembers nothing read inside a transaction, which may still roll back', async () => {
      const failing = store.write(async () => {
        await insert('rolled back');
        expect(await rememberedBodies()).toEqual(['rolled back']);
        throw new Error('refused');
      });
      await expect(failing).rejects.toThrow('refused');
      expect(await rememberedBodies()).toEqual([]);
      expect(reads).toBe(2);
    });

    it('remembers nothing when given no room (rememberedRows: 0)', async () => {
      const forgetful = new SqliteStore(store.db, { rememberedRows: 0 });
      const count = () => forgetful.remember('count', () => ++reads);
      expect([await count(), await count()]).toEqual([1, 2]);
    });

    it('keeps answers under different keys apart', async () => {
      await insert('one');
      const count = () => store.remember('count', () => store.db.prepare('SELECT COUNT(*) FROM notes').pluck().get());
      expect(await rememberedBodies()).toEqual(['one']);
      expect(await count()).toBe(1);
      expect(await rememberedBodies()).toEqual(['one']);
    });
  });
});
