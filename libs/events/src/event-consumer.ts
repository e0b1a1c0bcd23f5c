import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { metrics } from '@app/common';
import { SqlStore, Tx } from '@app/database';
import { ConsumerPositions, consumerPositions, Position, samePosition, START } from './consumer-positions';
import { DomainEvent } from './domain-event';
import { EventHandlers, EventType } from './event-payloads';
import { EventBus } from './event-bus';
import { incarnationKey, StreamEntry, toStreamEntry } from './stream-history';

const BATCH = 200;
const BLOCK_MS = 1000;
/** A consumer further behind than this, or not heard from the bus for this long, is not healthy. */
export const HEALTHY_LAG_MS = 1000;

export interface ConsumerState {
  stream: string;
  position: number;
  lagMs: number | null;
  healthy: boolean;
}

/**
 * Applies one stream's events to this service's database exactly once in effect: the events
 * after the stored position are read, then, in one write transaction, the position is checked
 * again (another replica sharing the database may have applied them meanwhile), the effects
 * are written and the position moves. A crash between read and commit changes nothing; a
 * replay is skipped by the position. Processes sharing a database apply each event once, in
 * stream order (a consumer group would hand events to replicas in parallel and lose the order
 * that a follow followed by an unfollow needs).
 *
 * A position belongs to one history of the producer's database (its incarnation). When the
 * stream holds another (the producer's database was rebuilt, replaced or restored), the
 * consumer forgets, in one transaction, every effect of the old history and starts again
 * from the new one's first event: nothing of another history is kept or applied.
 */
export abstract class EventConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private static readonly instances = new Set<EventConsumer>();
  protected readonly logger = new Logger(this.constructor.name);
  private readonly reader: Redis;
  private readonly positions: ConsumerPositions;
  /** The stored position as last read or written here (another replica may have moved it since). */
  private known: Position = START;
  private running = false;
  private stopped: Promise<void> = Promise.resolve();
  private lastContact = 0;
  private lag: number | null = null;

  protected constructor(
    readonly stream: string,
    protected readonly store: SqlStore,
    private readonly bus: EventBus,
  ) {
    this.reader = bus.blocking.duplicate();
    this.reader.on('error', () => undefined);
    this.positions = consumerPositions(store);
    EventConsumer.instances.add(this);
    metrics.gauge('events_consumer_lag_seconds', 'How far behind its stream a consumer is (-1: unknown)', ['stream'], (set) => {
      for (const consumer of EventConsumer.instances) set({ stream: consumer.stream }, consumer.lag === null ? -1 : consumer.lag / 1000);
    });
    metrics.gauge('events_consumer_position', 'The id of the last event a consumer applied', ['stream'], (set) => {
      for (const consumer of EventConsumer.instances) set({ stream: consumer.stream }, consumer.position);
    });
  }

  /** What the consumer keeps of each event type, by its typed payload; other types change nothing. */
  protected readonly handlers: EventHandlers = {};

  /** Writes one event's effect (its type's handler); runs inside the consumer's write transaction. */
  protected async apply(event: DomainEvent, tx: Tx): Promise<void> {
    const handler = this.handlers[event.type as EventType] as ((data: unknown, tx: Tx) => Promise<void>) | undefined;
    if (handler) await handler(event.data, tx);
  }

  /** Removes every effect of this stream's events; runs inside the consumer's write transaction. */
  protected abstract forget(tx: Tx): Promise<void>;

  onApplicationBootstrap(): void {
    this.running = true;
    this.stopped = this.loop();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    EventConsumer.instances.delete(this);
    this.reader.disconnect();
    await this.stopped;
  }

  get position(): number {
    return this.known.lastId;
  }

  /** The history of the producer that the stored position (and every effect) belongs to. */
  get incarnation(): string | null {
    return this.known.incarnation;
  }

  /** Caught up and in touch with the bus: its read model may be trusted as current. */
  get healthy(): boolean {
    return this.bus.up && Date.now() - this.lastContact < BLOCK_MS * 2 + 500 && this.lag !== null && this.lag < HEALTHY_LAG_MS;
  }

  state(): ConsumerState {
    return { stream: this.stream, position: this.position, lagMs: this.lag, healthy: this.healthy };
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        await this.step();
      } catch (error) {
        if (this.running) {
          this.logger.debug(`${this.stream}: ${(error as Error).message}`);
          await sleep(200);
        }
      }
    }
  }

  /** Reads what follows the position (waiting up to a second for it) and applies it. */
  async step(): Promise<number> {
    const stored = (this.known = await this.positions.get(this.stream));
    const results =
      (await this.reader
        .pipeline()
        .get(incarnationKey(this.stream))
        .xread('COUNT', BATCH, 'BLOCK', BLOCK_MS, 'STREAMS', this.stream, `${stored.lastId}-0`)
        .exec()) ?? [];
    for (const [error] of results) if (error) throw error;
    this.lastContact = Date.now();
    const answer = results[1]?.[1] as Array<[string, Array<[string, string[]]>]> | null;
    const entries = (answer?.[0]?.[1] ?? []).map(([id, fields]) => toStreamEntry(id, fields));
    if (entries.length > 0 && entries[0].incarnation === undefined) {
      // Written by a relay of an older version, which kept no history: the producer's relay replaces them.
      this.lag = null;
      await sleep(BLOCK_MS);
      return 0;
    }
    // The entries were read after the key: what they say is the newer word.
    const history = entries[0]?.incarnation ?? (results[0]?.[1] as string | null);
    if (history && history !== stored.incarnation && !samePosition(stored, START)) {
      await this.startOver(stored, history);
      return 0;
    }
    if (entries.length === 0) {
      this.lag = 0;
      return 0;
    }
    const newest = entries[entries.length - 1];
    const last = newest.id;
    const applied = await this.store.write(async (tx) => {
      if (!samePosition(await this.positions.get(this.stream), stored)) return 0; // another replica applied these meanwhile
      for (const entry of entries) await this.apply(toEvent(entry), tx);
      await this.positions.set(tx, this.stream, { lastId: last, incarnation: history! });
      return entries.length;
    });
    if (applied > 0) this.known = { lastId: last, incarnation: history! };
    this.lag = entries.length < BATCH ? 0 : Math.max(0, Date.now() - Date.parse(newest.occurredAt));
    return applied;
  }

  /** Forgets the effects of the old history and moves to the start of `history`, once for every process sharing the database. */
  private async startOver(stored: Position, history: string): Promise<void> {
    this.lag = null;
    const forgotten = await this.store.write(async (tx) => {
      if (!samePosition(await this.positions.get(this.stream), stored)) return false;
      await this.forget(tx);
      await this.positions.set(tx, this.stream, { lastId: 0, incarnation: history });
      return true;
    });
    if (!forgotten) return;
    this.known = { lastId: 0, incarnation: history };
    this.logger.warn(
      `stream ${this.stream} now holds another history of its producer's database (${history}; ` +
        `this database had applied ${stored.lastId} events of ${stored.incarnation ?? 'an unrecorded one'}): ` +
        `what they made is forgotten and the new history is applied from its first event`,
    );
  }
}

function toEvent(entry: StreamEntry): DomainEvent {
  return { id: String(entry.id), type: entry.type, occurredAt: entry.occurredAt, data: JSON.parse(entry.data) };
}
