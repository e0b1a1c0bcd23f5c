import { join } from 'node:path';
import { Clock } from '@app/common';
import { BaseConfig } from '@app/config';
import { Migration, openDatabase, openStore, SqlStore, SqliteStore } from '@app/database';
import { consumerPositions, EVENT_LOG_SQL, EventBus, EventPayloads, EventType, OUTBOX_SQL, OutboxRelay, POST_EVENTS, SqliteOutbox, STREAMS } from '@app/events';
import { eventually, startTestRedis, tempDir, TestRedis } from '@app/testing';
import { ActivityRepository } from '../src/activity/activity.repository';
import { ActivityService } from '../src/activity/activity.service';
import { ACTIVITY_REPOSITORY_PROVIDER } from '../src/activity/monitor-consumers.module';
import { TimelinesStreamConsumer } from '../src/activity/timelines-stream.consumer';
import { UsersStreamConsumer } from '../src/activity/users-stream.consumer';
import { MONITOR_MIGRATIONS } from '../src/database/monitor.migrations';
import { MONITOR_POSTGRES_MIGRATIONS } from '../src/database/monitor.postgres-migrations';

const PRODUCER: Migration[] = [
  { version: 1, name: 'outbox', up: OUTBOX_SQL },
  { version: 2, name: 'event log', up: EVENT_LOG_SQL },
];
const MINUTE = 60_000;
/** The figures read the users consumer's lag; nothing here reads its stream. */
const USERS_CONSUMER = { state: () => ({ lagMs: 0 }) } as unknown as UsersStreamConsumer;

/**
 * What trends, from the events as timelines publishes them: the real consumer applies them from a
 * real Redis into the monitor's real store, and the figures are read with a clock the test sets.
 * `databaseUrl` is the monitor's PostgreSQL database, or undefined for its SQLite file.
 */
export function describeTrending(storeName: string, databaseUrl: () => Promise<{ url: string; drop: () => Promise<void> } | undefined>): void {
  describe(`trending on ${storeName}: only original posts, only what happened inside the window`, () => {
    const dir = tempDir('trending');
    const now = Date.parse('2026-06-01T12:00:00.000Z');
    const clock: Clock = { now: () => now };
    let redis: TestRedis;
    let bus: EventBus;
    let store: SqlStore;
    let dropDatabase: (() => Promise<void>) | undefined;
    let activity: ActivityRepository;
    let consumer: TimelinesStreamConsumer;
    let service: ActivityService;
    let oldPost = 0;
    let producer: SqliteStore;
    let outbox: SqliteOutbox;
    let relay: OutboxRelay;
    let lastId = 0;

    const at = (minutesAgo: number) => new Date(now - minutesAgo * MINUTE).toISOString();
    const record = async <T extends EventType>(type: T, data: EventPayloads[T]) => {
      await producer.write((tx) => outbox.record(tx, type, data));
      lastId++;
    };
    let nextPost = 0;
    const post = async (username: string, minutesAgo: number, parents: { inReplyTo?: number; repostOf?: number } = {}) => {
      const id = ++nextPost;
      await record(POST_EVENTS.created, {
        id,
        username,
        message: `post ${id}`,
        repostOf: parents.repostOf ?? null,
        inReplyTo: parents.inReplyTo ?? null,
        createdAt: at(minutesAgo),
      });
      return id;
    };
    const like = (postId: number, username: string, minutesAgo: number) => record(POST_EVENTS.liked, { postId, username, likedAt: at(minutesAgo) });
    /** Publishes what was recorded and lets the consumer apply all of it. */
    const applied = async () => {
      while ((await relay.publishOnce()) > 0);
      await eventually(async () => {
        await consumer.step().catch(() => 0);
        return consumer.position === lastId;
      });
    };
    const scores = async (window: string) => Object.fromEntries((await service.trending(window)).posts.map((p) => [p.id, p.score]));

    beforeAll(async () => {
      redis = await startTestRedis();
      bus = new EventBus({ REDIS_URL: redis.url, SERVICE_NAME: 'trending-spec' } as BaseConfig);
      await eventually(() => bus.up);
      producer = new SqliteStore(openDatabase(join(dir.path, 'timelines.db'), PRODUCER));
      outbox = new SqliteOutbox(producer);
      relay = new OutboxRelay(outbox, bus, STREAMS.timelines);
      const database = await databaseUrl();
      dropDatabase = database?.drop;
      store = await openStore(
        { DATABASE_PATH: join(dir.path, 'monitor.db'), DATABASE_URL: database?.url },
        { sqlite: MONITOR_MIGRATIONS, postgres: MONITOR_POSTGRES_MIGRATIONS },
      );
      activity = ACTIVITY_REPOSITORY_PROVIDER.useFactory(store) as ActivityRepository;
      consumer = new TimelinesStreamConsumer(store, bus, activity);
      service = new ActivityService(activity, USERS_CONSUMER, consumer, clock);
    });

    afterAll(async () => {
      await consumer?.onApplicationShutdown();
      await store?.close();
      await dropDatabase?.();
      await producer?.close();
      await bus?.onApplicationShutdown();
      await redis?.stop();
      dir.remove();
    });

    it('lists an original post by what it received, and never a comment or a repost, however liked', async () => {
      const original = await post('ann', 30);
      const comment = await post('bob', 20, { inReplyTo: original });
      const repost = await post('cat', 15, { repostOf: original });
      for (const [i, username] of ['dan', 'eve', 'fay'].entries()) {
        await like(comment, username, 10 - i);
        await like(repost, username, 10 - i);
      }
      await like(original, 'dan', 5);
      await applied();

      // The original received a comment, a repost and a like; the comment and the repost three likes each.
      expect(await scores('1h')).toEqual({ [original]: 3 });
    });

    it('counts only what the post received inside the window, whenever the post itself was written', async () => {
      const old = (oldPost = await post('gus', 3 * 60)); // written three hours ago
      await like(old, 'ann', 2 * 60); // outside the hour
      await like(old, 'bob', 61);
      await like(old, 'cat', 59); // inside it
      const fresh = await post('hal', 1);
      for (const username of ['ann', 'bob']) await like(fresh, username, 70); // clocks differ; the event's time is what counts
      await applied();

      const hour = await scores('1h');
      expect(hour[old]).toBe(1);
      expect(hour[fresh]).toBeUndefined();
      const day = await scores('24h');
      expect(day[old]).toBe(3);
      expect(day[fresh]).toBe(2);
    });

    it('reads the window from its clock: a minute later, what was 59 minutes ago has left the hour', async () => {
      const later: Clock = { now: () => now + 2 * MINUTE };
      const moved = new ActivityService(activity, USERS_CONSUMER, consumer, later);
      expect((await service.trending('1h')).posts.map((p) => p.id)).toContain(oldPost);
      // The three-hour-old post's like of 59 minutes ago is 61 minutes old two minutes later.
      expect((await moved.trending('1h')).posts.map((p) => p.id)).not.toContain(oldPost);
      expect((await moved.trending('24h')).posts.find((p) => p.id === oldPost)?.score).toBe(3);
    });

    it('takes back what an unlike and a deletion took back, and shows an edit', async () => {
      const post1 = await post('ivy', 5);
      const reply = await post('jon', 4, { inReplyTo: post1 });
      await like(post1, 'ann', 3);
      await like(post1, 'bob', 3);
      await record(POST_EVENTS.unliked, { postId: post1, username: 'ann' });
      await record(POST_EVENTS.edited, { id: post1, username: 'ivy', message: 'edited', editedAt: at(2) });
      await applied();
      expect((await service.trending('1h')).posts.find((p) => p.id === post1)).toMatchObject({
        score: 2, // bob's like and the reply
        likes: 1,
        replies: 1,
        message: 'edited',
        editedAt: at(2),
      });

      await record(POST_EVENTS.deleted, { id: reply, username: 'jon', by: 'jon' });
      await applied();
      expect((await service.trending('1h')).posts.find((p) => p.id === post1)).toMatchObject({ score: 1, likes: 1, replies: 0 });
      await record(POST_EVENTS.deleted, { id: post1, username: 'ivy', by: 'ivy' });
      await applied();
      expect((await service.trending('24h')).posts.map((p) => p.id)).not.toContain(post1);
    });

    it('changes nothing when the same events are applied again (its position rewound to the start)', async () => {
      const before = { trending: await service.trending('24h'), stats: await service.stats(), perMinute: await service.postsPerMinute() };
      const positions = consumerPositions(store);
      const position = await positions.get(STREAMS.timelines);
      expect(position.lastId).toBe(lastId);
      await store.write((tx) => positions.set(tx, STREAMS.timelines, { lastId: 0, incarnation: position.incarnation }));
      await eventually(async () => {
        await consumer.step().catch(() => 0);
        return consumer.position === lastId && (await positions.get(STREAMS.timelines)).lastId === lastId;
      });
      expect({ trending: await service.trending('24h'), stats: await service.stats(), perMinute: await service.postsPerMinute() }).toEqual(before);
    });

    it("counts posts per minute over the clock's last hour, and the most active authors of its last day", async () => {
      const perMinute = await service.postsPerMinute();
      expect(perMinute).toHaveLength(60);
      expect(perMinute[59].minute).toBe(Math.floor(now / MINUTE));
      // Minute by minute, the posts written then that are still there (ivy's was deleted).
      const byMinute = Object.fromEntries(perMinute.filter((m) => m.posts > 0).map((m) => [Math.floor(now / MINUTE) - m.minute, m.posts]));
      expect(byMinute).toEqual({ 1: 1, 15: 1, 20: 1, 30: 1 });
      const stats = await service.stats();
      expect(stats.posts).toBe(5);
      expect(stats.activeUsers).toEqual([
        { username: 'ann', posts: 1 },
        { username: 'bob', posts: 1 },
        { username: 'cat', posts: 1 },
        { username: 'gus', posts: 1 },
        { username: 'hal', posts: 1 },
      ]);
    });

    it('counts the most active authors of exactly the last day from a clock inside an hour, and forgets deleted posts and their comments', async () => {
      const laterMinutes = 30.5;
      const later = new ActivityService(activity, USERS_CONSUMER, consumer, { now: () => now + laterMinutes * MINUTE });
      const dayBeforeLater = 24 * 60 - laterMinutes; // in minutes before `now`
      await post('kim', dayBeforeLater + 1); // a minute too early
      await post('kim', dayBeforeLater); // the window's first instant
      await post('kim', dayBeforeLater - 1);
      const deleted = await post('lea', 10);
      await post('max', 9, { inReplyTo: deleted });
      await post('lea', 8);
      await post('lea', 7);
      await record(POST_EVENTS.deleted, { id: deleted, username: 'lea', by: 'lea' });
      await applied();

      expect((await later.stats()).activeUsers).toEqual([
        { username: 'kim', posts: 2 },
        { username: 'lea', posts: 2 },
        { username: 'ann', posts: 1 },
        { username: 'bob', posts: 1 },
        { username: 'cat', posts: 1 },
        { username: 'gus', posts: 1 },
        { username: 'hal', posts: 1 },
      ]);
      // An hour and a half later the first of the window's hours has left it, kim's posts with it.
      const evenLater = new ActivityService(activity, USERS_CONSUMER, consumer, { now: () => now + 2 * 60 * MINUTE });
      expect((await evenLater.stats()).activeUsers.map((user) => user.username)).not.toContain('kim');
    });
  });
}
