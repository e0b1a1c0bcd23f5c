import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { metrics } from '@app/common';
import { SqlStore } from '@app/database';
import { ConsumerPositions, consumerPositions } from './consumer-positions';
import { DomainEvent } from './domain-event';
import { EventBus } from './event-bus';

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
 */
export abstract class EventConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private static readonly instances = new Set<EventConsumer>();
  protected readonly logger = new Logger(this.constructor.name);
  private readonly reader: Redis;
  private readonly positions: ConsumerPositions;
  /** The stored position as last read or written here (another replica may have moved it since). */
  private knownPosition = 0;
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

  /** Writes one event's effect; runs inside the consumer's write transaction. */
  protected abstract apply(event: DomainEvent): Promise<void>;

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
    return this.knownPosition;
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
    const from = (this.knownPosition = await this.positions.get(this.stream));
    const answer = (await this.reader.xread('COUNT', BATCH, 'BLOCK', BLOCK_MS, 'STREAMS', this.stream, `${from}-0`)) as
      | Array<[string, Array<[string, string[]]>]>
      | null;
    this.lastContact = Date.now();
    const entries = answer?.[0]?.[1] ?? [];
    if (entries.length === 0) {
      this.lag = 0;
      return 0;
    }
    const events = entries.map(([id, fields]) => toEvent(id, fields));
    const last = Number(events[events.length - 1].id);
    const applied = await this.store.write(async () => {
      if ((await this.positions.get(this.stream)) !== from) return 0; // another replica applied these meanwhile
      for (const event of events) await this.apply(event);
      await this.positions.set(this.stream, last);
      return events.length;
    });
    if (applied > 0) this.knownPosition = last;
    const newest = events[events.length - 1];
    this.lag = entries.length < BATCH ? 0 : Math.max(0, Date.now() - Date.parse(newest.occurredAt));
    return applied;
  }
}

function toEvent(id: string, fields: string[]): DomainEvent {
  const values: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) values[fields[i]] = fields[i + 1];
  return { id: id.split('-')[0], type: values.type, occurredAt: values.occurredAt, data: JSON.parse(values.data ?? '{}') };
}
