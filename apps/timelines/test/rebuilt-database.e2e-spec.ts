import { spawnSync } from 'node:child_process';
import { basic, client, Client, eventually, startTestRedis, startTestTopology, TestRedis } from '@app/testing';
import { entryPoint, Topology } from '@app/topology';

type Life = Awaited<ReturnType<typeof startTestTopology>>;

/**
 * The databases are made anew (deleted, rebuilt by init-db, a fresh PostgreSQL database) while
 * Redis keeps its streams: the new databases' events must reach the consumers, and nothing
 * of the old databases' history may stay in a read model. Real processes on a Redis of the
 * suite's own that outlives two lives of the system; on both stores.
 */
describe('databases rebuilt under a bus that kept its streams', () => {
  let redis: TestRedis;
  let life: Life | undefined;
  const password = 'a life of its own';

  const register = (api: Client, username: string) =>
    api
      .post('/users')
      .send({ username, email: `${username}@example.com`, password })
      .expect(201);
  const token = async (api: Client, username: string, secret = password) =>
    `Bearer ${(await api.post('/auth/token').set('Authorization', basic(username, secret)).expect(200)).body.access_token}`;
  const cli = (topology: Topology, ...args: string[]) =>
    spawnSync(process.execPath, [entryPoint('users-cli'), ...args, ...topology.usersDatabaseArgs], { encoding: 'utf8' });

  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await life?.stop();
    await redis?.stop();
  });

  it('publishes the new databases’ events and forgets the old ones’ in every read model, saying so once', async () => {
    // The first life: more users, follows and posts than the second will have, so its stream ids run ahead.
    life = await startTestTopology({ replicas: 1, redisUrl: redis.url });
    let api = client(life.topology.baseUrl);
    for (let i = 0; i < 25; i++) {
      await register(api, `ghost${i}`);
      await api
        .post('/users/steve/follow')
        .set('Authorization', basic(`ghost${i}`, password))
        .expect(200);
    }
    expect(cli(life.topology, 'grant-admin', 'ghost0').status).toBe(0);
    const ghost = await token(api, 'ghost0');
    for (let i = 0; i < 30; i++)
      await api
        .post('/posts')
        .set('Authorization', ghost)
        .send({ message: `first life ${i}` })
        .expect(201);
    await eventually(async () => (await api.get('/monitor/stats').set('Authorization', ghost)).status === 200, 10_000);
    await life.stop();

    // The second life: new databases from data/, the same Redis.
    life = await startTestTopology({ replicas: 1, redisUrl: redis.url });
    api = client(life.topology.baseUrl);
    await register(api, 'newbie');
    await api.post('/users/chris/follow').set('Authorization', basic('newbie', password)).expect(200);
    const posted = await api.post('/posts').set('Authorization', basic('chris', 'password2')).send({ message: 'second life' }).expect(201);
    const newbie = await token(api, 'newbie');
    // The follow reaches timelines' read model through the users stream, and the home timeline shows it.
    await eventually(async () => {
      const home = await api.get('/timelines/home').set('Authorization', newbie).expect(200);
      return home.body.posts.some((post: { id: number }) => post.id === posted.body.id);
    }, 10_000);
    // The first life's users are gone from the read model: a name users does not know has no timeline.
    await api.get('/timelines/users/ghost3').expect(404);

    // The monitor counts this life only, and knows this life's admin.
    expect(cli(life.topology, 'grant-admin', 'steve').status).toBe(0);
    const steve = await token(api, 'steve', 'password3');
    const stats = await eventually(async () => {
      const response = await api.get('/monitor/stats').set('Authorization', steve);
      return response.status === 200 && response.body.users === 3 && response.body.posts === 2 && response.body;
    }, 10_000);
    expect(stats).toMatchObject({ users: 3, posts: 2, follows: 3 });

    // Said once for each stream, by the relay that replaced it.
    const replaced = (stream: string) => life!.logs.filter((line) => line.includes(`stream ${stream} held the events of another database`));
    expect(replaced('users')).toHaveLength(1);
    expect(replaced('timelines')).toHaveLength(1);
  }, 240_000);
});
