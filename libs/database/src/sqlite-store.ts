import { AsyncLocalStorage } from 'node:async_hooks';
import type { Statement } from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import { BUSY_TIMEOUT_MS, type Sqlite } from './database';
import { Tx, TX } from './write-scope';

/** How many queued writes one transaction takes at most, so reads wait for a bounded time. */
const GROUP_LIMIT = 64;

interface QueuedWrite {
  work: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** How many rows (an answer counts its rows, or 1) the remembered answers may hold. */
const REMEMBERED_ROWS = 20_000;

/**
 * A service's SQLite connection behind the store's asynchronous API. better-sqlite3 answers
 * at once, but a transaction's work is asynchronous (the rules are written once for both
 * stores), so other requests' code may run between its statements: a transaction holds a
 * gate, and a read from outside it waits for the commit instead of seeing uncommitted rows.
 */
export class SqliteStore {
  readonly kind = 'sqlite' as const;
  private readonly inside = new AsyncLocalStorage<true>();
  /** Writes waiting for the next transaction, oldest first. */
  private readonly queued: QueuedWrite[] = [];
  private draining = false;
  /** Settles when every queued write has ended. */
  private idle: Promise<void> = Promise.resolve();
  /** Settles when the transaction now open has ended. */
  private transaction: Promise<void> = Promise.resolve();
  private open = false;
  // Prepared once: every write transaction runs them.
  private readonly begin: Statement;
  private readonly commit: Statement;
  private readonly rollback: Statement;
  private readonly savepoint: Statement;
  private readonly release: Statement;
  private readonly rollbackToSavepoint: Statement;
  /**
   * Changes whenever the database may have changed: data_version moves with another
   * connection's (another process's) commits, total_changes() with this connection's writes.
   */
  private readonly dataVersion: Statement<[], string>;
  private rememberedAt: string | undefined;
  private readonly remembered: LRUCache<string, { value: unknown }> | null;

  /** `rememberedRows: 0` remembers nothing (the benchmark's in-process timings measure the database). */
  constructor(
    readonly db: Sqlite,
    { rememberedRows = REMEMBERED_ROWS }: { rememberedRows?: number } = {},
  ) {
    this.remembered =
      rememberedRows > 0 ? new LRUCache({ maxSize: rememberedRows, sizeCalculation: ({ value }) => (Array.isArray(value) ? value.length + 1 : 1) }) : null;
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
    this.savepoint = db.prepare('SAVEPOINT queued_write');
    this.release = db.prepare('RELEASE queued_write');
    this.rollbackToSavepoint = db.prepare('ROLLBACK TO queued_write');
    this.dataVersion = db.prepare<[], string>("SELECT data_version || ':' || total_changes() FROM pragma_data_version").pluck();
  }

  /**
   * Runs `work` in a BEGIN IMMEDIATE transaction (the write lock taken up front, so it never
   * deadlocks with another process); work inside a transaction joins it. Writes that queue up
   * while this process waits for the lock share one transaction (group commit), each in its
   * own savepoint: a work that throws undoes only its own changes, and every work's result is
   * given out only once the transaction has committed.
   */
  write<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.inside.getStore()) return work(TX);
    return new Promise<T>((resolve, reject) => {
      this.queued.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) this.idle = this.drain();
    });
  }

  /** Runs the queued writes, a transaction at a time, until none is left. */
  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queued.length > 0) await this.commitGroup();
    } finally {
      this.draining = false;
    }
  }

  private async commitGroup(): Promise<void> {
    try {
      await this.beginWithoutBlocking();
    } catch (error) {
      // The lock stayed taken for the whole busy timeout: every write waiting for it fails.
      for (const pending of this.queued.splice(0)) pending.reject(error);
      return;
    }
    let transactionEnded!: () => void;
    this.transaction = new Promise((resolve) => (transactionEnded = resolve));
    this.open = true;
    const done: Array<{ pending: QueuedWrite; outcome: { value: unknown } | { error: unknown } }> = [];
    let rolledBackBy: { error: unknown } | undefined;
    try {
      for (let n = 0; n < GROUP_LIMIT && this.queued.length > 0 && this.db.inTransaction; n++) {
        const pending = this.queued.shift()!;
        let saved = false;
        try {
          this.savepoint.run();
          saved = true;
          const value = await this.inside.run(true, () => pending.work(TX));
          this.release.run();
          done.push({ pending, outcome: { value } });
        } catch (error) {
          done.push({ pending, outcome: { error } });
          if (!this.db.inTransaction) rolledBackBy = { error };
          else if (saved) {
            this.rollbackToSavepoint.run();
            this.release.run();
          }
        }
      }
      // SQLite itself rolled the whole transaction back (an I/O error, a full disk): nothing of
      // the group is kept, so a work that had succeeded fails with that error.
      if (rolledBackBy) throw rolledBackBy.error;
      this.commit.run();
    } catch (error) {
      if (this.db.inTransaction) this.rollback.run();
      for (const entry of done) if ('value' in entry.outcome) entry.outcome = { error };
    } finally {
      this.open = false;
      transactionEnded();
    }
    for (const { pending, outcome } of done) {
      if ('value' in outcome) pending.resolve(outcome.value);
      else pending.reject(outcome.error);
    }
  }

  /**
   * BEGIN IMMEDIATE without SQLite's busy handler, which would sleep with the event loop
   * stopped while another process holds the write lock: the wait is asynchronous here, so this
   * process keeps answering reads meanwhile. Gives up after BUSY_TIMEOUT_MS, as the handler would.
   */
  private async beginWithoutBlocking(): Promise<void> {
    const deadline = Date.now() + BUSY_TIMEOUT_MS;
    for (;;) {
      // A pragma takes effect when compiled, so these two cannot be prepared once.
      this.db.pragma('busy_timeout = 0');
      try {
        this.begin.run();
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw error;
      } finally {
        this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  /** Runs statements now, or, while another transaction is open, once it has ended (inside one: now). */
  async use<T>(statements: () => T): Promise<T> {
    while (this.open && !this.inside.getStore()) await this.transaction;
    return statements();
  }

  /**
   * Like use(), but the answer is remembered under `key` until the database next changes: a
   * write of this process, or a commit of any other (checked with one statement, about 3 µs).
   * So a remembered answer is never older than the database at the time of the call; a page
   * read by many requests between two writes is read once. Callers must not modify what it
   * returns (it is shared). Inside a transaction nothing is remembered.
   */
  remember<T>(key: string, statements: () => T): Promise<T> {
    return this.use(() => {
      const remembered = this.remembered;
      if (this.inside.getStore() || !remembered) return statements();
      const version = this.dataVersion.get();
      if (version !== this.rememberedAt) {
        remembered.clear();
        this.rememberedAt = version;
      }
      const hit = remembered.get(key);
      if (hit) return hit.value as T;
      const value = statements();
      remembered.set(key, { value });
      return value;
    });
  }

  /** Whether answers are remembered at all (not with `rememberedRows: 0`): what else a repository keeps follows it. */
  get remembersAnswers(): boolean {
    return this.remembered !== null;
  }

  async ping(): Promise<void> {
    await this.use(() => this.db.prepare('SELECT 1').get());
  }

  async close(): Promise<void> {
    await this.idle;
    if (this.db.open) this.db.close();
  }
}
