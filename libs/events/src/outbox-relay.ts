import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { metrics } from '@app/common';
import { EventBus } from './event-bus';
import { OUTBOX, OutboxLog, OutboxRow } from './outbox';
import { incarnationKey, isHistoryOf, PUBLISH_SCRIPT, REPLACE_SCRIPT, StreamHead, streamHead } from './stream-history';

export const RELAY_STREAM = Symbol('RELAY_STREAM');
const BATCH = 500;
const IDLE_MS = 50;
const LEASE_MS = 2000;
const BACKLOG_COUNT_MS = 1000;

/**
 * Publishes the outbox to the producer's stream, in id order, at least once. Every process
 * of a service runs one; the stream ids are the outbox ids (`<id>-0`), and a batch is added
 * by one script that skips the ids the stream already holds, so two replicas never add an
 * event twice, and a Redis that restarted empty is filled again from the outbox.
 *
 * The stream belongs to one history of the database (its incarnation, kept beside the stream
 * and in every entry). A stream of another history (the database was rebuilt or replaced
 * while Redis kept its streams) is replaced by this database's events from the first; a
 * database older than its own stream (restored from a backup) starts a new history first.
 * The consumers see the new incarnation and rebuild what they kept of the old one.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private running = false;
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  private stopped: Promise<void> = Promise.resolve();
  /** The database's incarnation as last read: read again only when the stream says another. */
  private incarnation: string | null = null;
  /** The stream's newest id of this history, as last seen (0 until seen, or while the stream is another history's). */
  private head = 0;
  /** The newest id known to be this database's own event (checked once per id seen). */
  private verified = 0;
  /** Rows not yet on the bus, as last counted (readiness and metrics read it at once). */
  private unpublished = 0;
  private counted = 0;
  private lastFailure: string | null = null;

  constructor(
    @Inject(OUTBOX) private readonly outbox: OutboxLog,
    private readonly bus: EventBus,
    @Inject(RELAY_STREAM) private readonly stream: string,
  ) {}

  onApplicationBootstrap(): void {
    metrics.gauge('events_outbox_backlog', 'Events written but not yet on the bus', ['stream'], (set) => set({ stream: this.stream }, this.unpublished));
    this.running = true;
    this.stopped = this.loop();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    await this.stopped;
  }

  /** Events not yet on the bus (for readiness and metrics). */
  backlog(): number {
    return this.unpublished;
  }

  /**
   * Counts the rows after the stream's newest at most once a second: after a bulk import the
   * count walks a million index entries, and counting on every batch of 500 slowed the relay
   * (and the whole service beside it) down by an order of magnitude. Every process counts, the
   * relay holding the lease or not, so each one's readiness and metric say it.
   */
  private async countBacklog(): Promise<void> {
    const now = Date.now();
    if (now - this.counted < BACKLOG_COUNT_MS) return;
    this.counted = now;
    if (this.bus.up) {
      const head = await streamHead(this.bus.redis, this.stream);
      this.head = isHistoryOf(head, await this.ownIncarnation(head)) ? (head.newest?.id ?? 0) : 0;
    }
    this.unpublished = await this.outbox.countAfter(this.head);
  }

  /** The database's incarnation, read from it only when the stream holds another than the one last read. */
  private async ownIncarnation(head: StreamHead): Promise<string> {
    if (this.incarnation === null || head.incarnation !== this.incarnation) this.incarnation = await this.outbox.incarnation();
    return this.incarnation;
  }

  /**
   * One relay at a time per stream: replicas sharing an outbox take a short lease in Redis, so
   * they do not all read and send the same rows. The lease is only an economy: the publish
   * script adds no id twice anyway.
   */
  private async holdsLease(): Promise<boolean> {
    const key = `relay-lease:${this.stream}`;
    if ((await this.bus.redis.set(key, this.owner, 'PX', LEASE_MS, 'NX')) === 'OK') return true;
    if ((await this.bus.redis.get(key)) !== this.owner) return false;
    await this.bus.redis.pexpire(key, LEASE_MS);
    return true;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let published = 0;
      try {
        if (this.bus.up && (await this.holdsLease())) published = await this.publishOnce();
        this.failed(null);
      } catch (error) {
        this.failed(error as Error);
      }
      // Counted whatever happened above: a publish the bus refused leaves its rows in the backlog.
      await this.countBacklog().catch(() => undefined);
      if (published < BATCH) await sleep(IDLE_MS);
    }
  }

  /** Why the last round could not publish (null when it could): readiness says it, the log says it once. */
  get failure(): string | null {
    return this.lastFailure;
  }

  private failed(error: Error | null): void {
    const message = error?.message ?? null;
    if (message !== null && message !== this.lastFailure && this.bus.up) this.logger.warn(`relay cannot publish to stream ${this.stream}: ${message}`);
    if (message === null && this.lastFailure !== null) this.logger.log(`relay publishes to stream ${this.stream} again`);
    this.lastFailure = message;
  }

  /** Publishes the next rows after what the stream already holds; returns how many it sent. */
  async publishOnce(): Promise<number> {
    const head = await streamHead(this.bus.redis, this.stream);
    const incarnation = await this.ownIncarnation(head);
    if (!isHistoryOf(head, incarnation)) {
      await this.replace(head, incarnation);
      return 0;
    }
    const last = head.newest?.id ?? 0;
    if (last > this.verified && !(await this.isOwnEvent(head))) {
      const renewed = (this.incarnation = await this.outbox.renewIncarnation(incarnation));
      this.logger.warn(
        `stream ${this.stream} holds events this database does not have (from event ${last}): the database is older ` +
          `than its stream (restored from a backup?); it starts a new history (${renewed}) and republishes its events`,
      );
      return 0;
    }
    this.verified = Math.max(this.verified, last);
    this.head = last;
    const rows = await this.outbox.rowsAfter(last, BATCH);
    if (rows.length === 0) return 0;
    const upTo = await this.publish(incarnation, rows);
    if (upTo === null) return 0; // another history took the stream meanwhile: the next round replaces it
    const sent = rows.filter((row) => row.id > last && row.id <= upTo).length;
    this.head = this.verified = upTo;
    return sent;
  }

  /** Whether the stream's newest entry is this outbox's row of the same id. */
  private async isOwnEvent(head: StreamHead): Promise<boolean> {
    const newest = head.newest!;
    const [row] = await this.outbox.rowsAfter(newest.id - 1, 1);
    return row !== undefined && row.id === newest.id && row.type === newest.type && row.occurred_at === newest.occurredAt && row.data === newest.data;
  }

  private async replace(head: StreamHead, incarnation: string): Promise<void> {
    const replaced = (await this.bus.redis.eval(REPLACE_SCRIPT, 2, this.stream, incarnationKey(this.stream), head.incarnation ?? '', incarnation)) as number;
    if (replaced !== 1) return;
    this.head = this.verified = 0;
    this.logger.warn(
      `stream ${this.stream} held ${head.incarnation ? `the events of another database (history ${head.incarnation})` : 'events of unknown origin'}` +
        ` up to event ${head.newest?.id ?? 0}: replaced by this database's events (history ${incarnation}), from its first`,
    );
  }

  /** Adds the rows the stream does not hold yet; the stream's newest id after, or null when it is another history's. */
  private async publish(incarnation: string, rows: OutboxRow[]): Promise<number | null> {
    const args = [incarnation];
    for (const row of rows) args.push(String(row.id), row.type, row.occurred_at, row.data);
    const newest = (await this.bus.redis.eval(PUBLISH_SCRIPT, 2, this.stream, incarnationKey(this.stream), ...args)) as number;
    return newest < 0 ? null : newest;
  }
}
