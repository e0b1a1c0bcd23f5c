import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { metrics } from '@app/common';
import { EventBus } from './event-bus';
import { OUTBOX, OutboxLog } from './outbox';

export const RELAY_STREAM = Symbol('RELAY_STREAM');
const BATCH = 500;
const IDLE_MS = 50;
const LEASE_MS = 2000;
const BACKLOG_COUNT_MS = 1000;

/**
 * Publishes the outbox to the producer's stream, in id order, at least once. Every process
 * of a service runs one; the stream ids are the outbox ids (`<id>-0`), so Redis itself
 * refuses a second copy of an event another replica already published ("ID equal or
 * smaller"), and a Redis that restarted empty is filled again from the outbox.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private running = false;
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  /** The newest id already marked published here, so an idle relay writes nothing. */
  private marked = 0;
  private stopped: Promise<void> = Promise.resolve();
  /** Rows not yet published, as last counted (readiness and metrics read it at once). */
  private unpublished = 0;
  private counted = 0;

  constructor(
    @Inject(OUTBOX) private readonly outbox: OutboxLog,
    private readonly bus: EventBus,
    @Inject(RELAY_STREAM) private readonly stream: string,
  ) {}

  onApplicationBootstrap(): void {
    metrics.gauge('events_outbox_backlog', 'Events written but not yet published to the bus', ['stream'], (set) =>
      set({ stream: this.stream }, this.unpublished),
    );
    this.running = true;
    this.stopped = this.loop();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    await this.stopped;
  }

  /** Events not yet published (for readiness and metrics). */
  backlog(): number {
    return this.unpublished;
  }

  /**
   * Counts the unpublished rows at most once a second: after a bulk import the count walks a
   * million index entries, and counting on every batch of 500 slowed the relay (and the whole
   * service beside it) down by an order of magnitude.
   */
  private async countBacklog(): Promise<void> {
    const now = Date.now();
    if (now - this.counted < BACKLOG_COUNT_MS) return;
    this.counted = now;
    this.unpublished = await this.outbox.backlog();
  }

  /**
   * One relay at a time per stream: replicas sharing an outbox take a short lease in Redis, so
   * they do not all read and send the same rows. The lease is only an economy: a second copy
   * of an event would be refused by Redis anyway.
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
        await this.countBacklog();
      } catch (error) {
        this.logger.debug(`relay: ${(error as Error).message}`);
      }
      if (published < BATCH) await sleep(IDLE_MS);
    }
  }

  /** Publishes the next rows after what the stream already holds; returns how many it sent. */
  async publishOnce(): Promise<number> {
    const last = await this.lastPublishedId();
    const rows = await this.outbox.rowsAfter(last, BATCH);
    if (rows.length === 0) {
      await this.mark(last);
      return 0;
    }
    const pipeline = this.bus.redis.pipeline();
    for (const row of rows) pipeline.xadd(this.stream, `${row.id}-0`, 'type', row.type, 'occurredAt', row.occurred_at, 'data', row.data);
    const results = (await pipeline.exec()) ?? [];
    let upTo = last;
    for (const [index, [error]] of results.entries()) {
      // Another replica published it first: Redis refuses an id not above its newest.
      if (error && !/equal or smaller/i.test(error.message)) break;
      upTo = rows[index].id;
    }
    await this.mark(upTo);
    return rows.filter((row) => row.id <= upTo).length;
  }

  private async mark(upTo: number): Promise<void> {
    if (upTo <= this.marked) return;
    await this.outbox.markPublishedUpTo(upTo);
    this.marked = upTo;
  }

  private async lastPublishedId(): Promise<number> {
    const newest = (await this.bus.redis.xrevrange(this.stream, '+', '-', 'COUNT', 1)) as Array<[string, string[]]>;
    return newest.length === 0 ? 0 : Number(newest[0][0].split('-')[0]);
  }
}
