import { join } from 'node:path';
import { metrics } from '@app/common';
import { BaseConfig } from '@app/config';
import { Migration, openDatabase, SqliteStore } from '@app/database';
import { eventually, startTestRedis, tempDir, TestRedis } from '@app/testing';
import { DomainEvent } from './domain-event';
import { EventType } from './event-payloads';
import { EventBus } from './event-bus';
import { EventConsumer } from './event-consumer';
import { CONSUMER_INCARNATION_SQL, CONSUMER_POSITIONS_SQL, EVENT_LOG_SQL, OUTBOX_SQL, SqliteOutbox } from './outbox';
import { OutboxRelay } from './outbox-relay';
import { incarnationKey } from './stream-history';

/** An event no service has: the relay and the consumers carry any type; this suite tests the carrying. */
const TRANSPORT_TEST_EVENT = 'test.happened' as EventType;

const PRODUCER: Migration[] = [
  { version: 1, name: 'outbox', up: OUTBOX_SQL },
  { version: 2, name: 'event log', up: EVENT_LOG_SQL },
];
const CONSUMER: Migration[] = [
  { version: 1, name: 'positions', up: CONSUMER_POSITIONS_SQL },
  { version: 2, name: 'incarnation', up: CONSUMER_INCARNATION_SQL },
  // No key on purpose: an event applied twice is counted twice.
  { version: 3, name: 'effects', up: 'CREATE TABLE seen (event_id INTEGER NOT NULL, label TEXT NOT NULL)' },
];

/** Writes one row per event it applies: its effects can be counted against its position. */
class SeenConsumer extends EventConsumer {
  constructor(
    private readonly sqlite: SqliteStore,
    bus: EventBus,
    stream: string,
  ) {
    super(stream, sqlite, bus);
  }

  protected override async apply(event: DomainEvent): Promise<void> {
    const db = this.sqlite.db;
    await this.sqlite.use(() => db.prepare('INSERT INTO seen (event_id, label) VALUES (?, ?)').run(Number(event.id), String(event.data.label)));
  }

  protected async forget(): Promise<void> {
    await this.sqlite.use(() => this.sqlite.db.prepare('DELETE FROM seen').run());
  }

  seen(): Array<{ event_id: number; label: string }> {
    return this.sqlite.db.prepare('SELECT event_id, label FROM seen ORDER BY rowid').all() as Array<{ event_id: number; label: string }>;
  }

  storedPosition(): { last_id: number; incarnation: string | null } {
    return this.sqlite.db.prepare('SELECT last_id, incarnation FROM consumer_positions').get() as { last_id: number; incarnation: string };
  }
}

/**
 * The relay and a consumer against a real Redis and real SQLite files: many batches, a
 * restart, a database rebuilt or restored under a stream that outlived it, a bus that
 * refuses writes.
 */
describe('events through a real Redis', () => {
  const dir = tempDir('event-stream');
  let redis: TestRedis;
  let bus: EventBus;
  let files = 0;
  let streams = 0;
  const closers: Array<() => Promise<void> | void> = [];

  const producer = (path = join(dir.path, `producer-${++files}.db`)) => {
    const store = new SqliteStore(openDatabase(path, PRODUCER));
    const outbox = new SqliteOutbox(store);
    closers.push(() => store.close());
    return { path, store, outbox, record: (label: string) => store.write((tx) => outbox.record(tx, TRANSPORT_TEST_EVENT, { label } as never)) };
  };
  const relayOf = (outbox: SqliteOutbox, stream: string) => new OutboxRelay(outbox, bus, stream);
  const consumerOf = (stream: string, path = join(dir.path, `consumer-${++files}.db`)) => {
    const store = new SqliteStore(openDatabase(path, CONSUMER));
    const consumer = new SeenConsumer(store, bus, stream);
    closers.push(async () => {
      await consumer.onApplicationShutdown();
      await store.close();
    });
    return { path, consumer };
  };
  /** Publishes until the relay finds nothing more to send (a replacement takes a round of its own). */
  const publishAll = async (relay: OutboxRelay) => {
    for (let idle = 0; idle < 3;) idle = (await relay.publishOnce()) === 0 ? idle + 1 : 0;
  };
  /** Steps as the consumer's loop does (a step before its connection is up fails, and is tried again). */
  const catchUp = async (consumer: SeenConsumer, lastId: number) => {
    for (let i = 0; i < 100 && !(consumer.position === lastId && consumer.storedPosition()?.last_id === lastId); i++) {
      await consumer.step().catch(() => new Promise((resolve) => setTimeout(resolve, 50)));
    }
  };

  beforeAll(async () => {
    redis = await startTestRedis();
    bus = new EventBus({ REDIS_URL: redis.url, SERVICE_NAME: 'events-spec' } as BaseConfig);
    await eventually(() => bus.up);
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  afterAll(async () => {
    await bus.onApplicationShutdown();
    await redis.stop();
    dir.remove();
  });

  it('applies more events than one read takes, each once, and keeps its place across a restart', async () => {
    const stream = `stream-${++streams}`;
    const source = producer();
    for (let i = 1; i <= 450; i++) await source.record(`e${i}`);
    await publishAll(relayOf(source.outbox, stream));
    expect(await bus.redis.xlen(stream)).toBe(450);

    const first = consumerOf(stream);
    await catchUp(first.consumer, 450);
    expect(first.consumer.storedPosition().last_id).toBe(450);
    expect(first.consumer.seen().map((row) => row.event_id)).toEqual(Array.from({ length: 450 }, (_, i) => i + 1));

    // A new process on the same database starts where the stored position says, not at 0.
    await first.consumer.onApplicationShutdown();
    for (let i = 451; i <= 520; i++) await source.record(`e${i}`);
    await publishAll(relayOf(source.outbox, stream));
    const restarted = new SeenConsumer(new SqliteStore(openDatabase(first.path, CONSUMER)), bus, stream);
    closers.push(() => restarted.onApplicationShutdown());
    await catchUp(restarted, 520);
    const seen = restarted.seen().map((row) => row.event_id);
    expect(seen).toHaveLength(520);
    expect(new Set(seen).size).toBe(520);
    expect(restarted.storedPosition().last_id).toBe(Math.max(...seen));
  });

  it('replaces a stream that outlived its database: the new database’s events are published, the old ones forgotten', async () => {
    const stream = `stream-${++streams}`;
    const old = producer();
    for (let i = 1; i <= 300; i++) await old.record(`old${i}`);
    await publishAll(relayOf(old.outbox, stream));
    const { consumer } = consumerOf(stream);
    await catchUp(consumer, 300);
    expect(consumer.seen()).toHaveLength(300);

    // The database is made anew (init-db, a deleted file, a fresh PostgreSQL database); Redis kept the stream.
    const rebuilt = producer();
    for (let i = 1; i <= 5; i++) await rebuilt.record(`new${i}`);
    await publishAll(relayOf(rebuilt.outbox, stream));
    const entries = await bus.redis.xrange(stream, '-', '+');
    expect(entries.map(([id]) => id)).toEqual(['1-0', '2-0', '3-0', '4-0', '5-0']);
    expect(await bus.redis.get(incarnationKey(stream))).toBe(await rebuilt.outbox.incarnation());

    await catchUp(consumer, 5);
    await catchUp(consumer, 5);
    expect(consumer.seen().map((row) => row.label)).toEqual(['new1', 'new2', 'new3', 'new4', 'new5']);
    expect(consumer.storedPosition()).toEqual({ last_id: 5, incarnation: await rebuilt.outbox.incarnation() });

    // The old database's relay, still running somewhere, can no longer add to the stream it lost.
    await old.record('old301');
    const oldRelay = relayOf(old.outbox, stream);
    expect(await oldRelay.publishOnce()).toBe(0);
  });

  it('starts a new history when its database is older than its stream (restored from a backup)', async () => {
    const stream = `stream-${++streams}`;
    const live = producer();
    for (let i = 1; i <= 3; i++) await live.record(`kept${i}`);
    const backup = join(dir.path, `backup-${++files}.db`);
    live.store.db.prepare('VACUUM INTO ?').run(backup);
    for (let i = 4; i <= 6; i++) await live.record(`lost${i}`);
    await publishAll(relayOf(live.outbox, stream));
    const { consumer } = consumerOf(stream);
    await catchUp(consumer, 6);
    const lived = await live.outbox.incarnation();
    await live.store.close();

    // Restored: the same history as the stream, but three events short of it; then a new write.
    const restored = producer(backup);
    expect(await restored.outbox.incarnation()).toBe(await bus.redis.get(incarnationKey(stream)));
    await restored.record('after-restore');
    await publishAll(relayOf(restored.outbox, stream));
    expect(await restored.outbox.incarnation()).not.toBe(lived);
    expect(await bus.redis.get(incarnationKey(stream))).toBe(await restored.outbox.incarnation());

    await catchUp(consumer, 4);
    await catchUp(consumer, 4);
    expect(consumer.seen().map((row) => row.label)).toEqual(['kept1', 'kept2', 'kept3', 'after-restore']);
  });

  it('reports as backlog what the bus refused, and publishes it once the bus accepts writes again', async () => {
    const stream = `stream-${++streams}`;
    const source = producer();
    const relay = relayOf(source.outbox, stream);
    relay.onApplicationBootstrap();
    closers.push(() => relay.onApplicationShutdown());
    const backlogMetric = async () => {
      const metric = (await metrics.registry.getSingleMetric('events_outbox_backlog')!.get()).values.find((value) => value.labels.stream === stream);
      return metric?.value;
    };
    await source.record('accepted');
    await eventually(async () => (await bus.redis.xlen(stream)) === 1);

    await bus.redis.call('ACL', 'SETUSER', 'default', '-xadd');
    try {
      for (let i = 0; i < 3; i++) await source.record(`refused${i}`);
      await eventually(async () => relay.backlog() === 3 && (await backlogMetric()) === 3, 5000);
      expect(await bus.redis.xlen(stream)).toBe(1);
      expect(relay.failure).toMatch(/can't run this command/);
    } finally {
      await bus.redis.call('ACL', 'SETUSER', 'default', '+xadd');
    }
    await eventually(async () => (await bus.redis.xlen(stream)) === 4 && relay.backlog() === 0 && (await backlogMetric()) === 0, 5000);
    expect(relay.failure).toBeNull();
  }, 20_000);
});
