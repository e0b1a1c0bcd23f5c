import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { JwtService } from '@nestjs/jwt';
import { Sqlite, SQL_STORE, SqliteStore } from '@app/database';
import { basic, client, Client, collectPages, createTestApp, NO_BUS_URL, tempDir, TEST_SECRET } from '@app/testing';
import { unauthorized } from '@app/auth';
import { TimelinesAppModule } from './timelines-app.module';
import { loadTimelinesConfig } from './timelines-config';
import { UsersClient } from './users-client/users.client';

/**
 * The timelines app in-process, exactly as main.ts configures it, on a temporary SQLite file,
 * with the users client replaced by a stand-in: the HTTP rules in seconds, no processes.
 */
describe('timelines app (in-process)', () => {
  const dir = tempDir('timelines-app');
  const follows = new Map<string, string[]>();
  const users = {
    verifyBasic: jest.fn(async (username: string, password: string) => {
      if (password !== 'right password') throw unauthorized('the username or password is wrong');
      return { id: username.length, username };
    }),
    following: jest.fn(async (username: string) => follows.get(username.toLowerCase()) ?? []),
    userExists: jest.fn(async (username: string) => username.toLowerCase() === 'quiet'),
    isAdmin: jest.fn(async () => false),
    reachable: true,
    onApplicationShutdown: () => undefined,
  };
  let app: NestFastifyApplication;
  let api: Client;
  let db: Sqlite;
  let bearer: (username: string) => string;

  beforeAll(async () => {
    const config = loadTimelinesConfig({
      DATABASE_PATH: `${dir.path}/timelines.db`,
      // No bus, on purpose: the users client's stand-in answers what the read model would.
      REDIS_URL: NO_BUS_URL,
      JWT_SECRET: TEST_SECRET,
      LOG_LEVEL: 'silent',
      CORS_ORIGINS: 'https://app.example.com, http://localhost:3000',
    });
    app = await createTestApp(TimelinesAppModule.forRoot(config), config, (builder) => builder.overrideProvider(UsersClient).useValue(users));
    await app.listen(0, '127.0.0.1');
    api = client(await app.getUrl());
    db = app.get<SqliteStore>(SQL_STORE).db;
    const jwt = new JwtService({ secret: TEST_SECRET });
    bearer = (username) => `Bearer ${jwt.sign({ sub: String(username.length), username }, { expiresIn: 60 })}`;
  });

  afterAll(async () => {
    await app.close();
    dir.remove();
  });

  it('creates a post with Basic or Bearer credentials; 401 with the challenge without', async () => {
    const viaBasic = await api.post('/posts').set('Authorization', basic('ann', 'right password')).send({ message: 'hello' }).expect(201);
    expect(viaBasic.headers.location).toBe(`/posts/${viaBasic.body.id}`);
    expect(viaBasic.body).toMatchObject({ username: 'ann', message: 'hello', likes: 0, reposts: 0, replies: 0, repost: null });
    await api.post('/posts').set('Authorization', bearer('ann')).send({ message: 'hi' }).expect(201);
    const anonymous = await api.post('/posts').send({ message: 'hi' }).expect(401);
    expect(anonymous.headers['www-authenticate']).toBe('Basic realm="microblog", charset="UTF-8"');
    expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
    await api.post('/posts').set('Authorization', basic('ann', 'wrong')).send({ message: 'hi' }).expect(401);
  });

  it('puts a body validation 400 before a malformed id 404, as the contract orders them', async () => {
    const auth = bearer('ann');
    for (let i = 0; i < 5; i++) {
      await api.patch('/posts/abc').set('Authorization', auth).send({ message: '' }).expect(400);
      await api.post('/posts/abc/comments').set('Authorization', auth).send({ nope: 1 }).expect(400);
    }
    await api.patch('/posts/abc').set('Authorization', auth).send({ message: 'fine' }).expect(404);
    await api.get('/posts/0').expect(404);
    await api.get('/posts/1.5').expect(404);
  });

  it('refuses a body without Content-Type (415) and unknown fields (400 naming them)', async () => {
    await api.post('/posts').set('Authorization', bearer('ann')).set('Content-Type', '').send(Buffer.from('message=hi')).expect(415);
    const unknown = await api.post('/posts').set('Authorization', bearer('ann')).send({ message: 'hi', author: 'bob' }).expect(400);
    expect(unknown.body.errors).toEqual([{ field: 'author', message: 'author is not an accepted field' }]);
  });

  it('refuses JSON nested deeper than 32 levels with 400 on every body route, before anything walks it', async () => {
    const { body: post } = await api.post('/posts').set('Authorization', bearer('ann')).send({ message: 'target' }).expect(201);
    const deep = '{"a":'.repeat(10_000);
    for (const [method, path] of [
      ['post', '/posts'],
      ['patch', `/posts/${post.id}`],
      ['post', `/posts/${post.id}/comments`],
    ] as const) {
      const response = await api[method](path).set('Authorization', bearer('ann')).set('Content-Type', 'application/json').send(deep).expect(400);
      expect(response.body).toMatchObject({ status: 400, detail: 'request body nests deeper than 32 levels' });
    }
    const justDeepEnough = { message: 'ok', extra: JSON.parse('['.repeat(31) + ']'.repeat(31)) };
    await api
      .post('/posts')
      .set('Authorization', bearer('ann'))
      .send(justDeepEnough)
      .expect(400, /extra is not an accepted field/);
  });

  it('answers CORS preflights for listed origins only, and exposes the headers a client reads', async () => {
    const preflight = await api
      .options('/posts')
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization, content-type, idempotency-key')
      .expect(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    expect(preflight.headers['access-control-allow-headers']).toBe('Authorization, Content-Type, Idempotency-Key, X-Request-ID');
    const read = await api.get('/timelines/public').set('Origin', 'http://localhost:3000').expect(200);
    expect(read.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(read.headers['access-control-expose-headers']).toBe('Link, Location, Retry-After, X-Request-ID, Idempotent-Replayed');
    for (const origin of ['https://evil.example.com', 'https://app.example.com.evil.com', 'null']) {
      const refused = await api.options('/posts').set('Origin', origin).set('Access-Control-Request-Method', 'POST');
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
      const plain = await api.get('/timelines/public').set('Origin', origin).expect(200);
      expect(Object.keys(plain.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });

  describe('Idempotency-Key', () => {
    const count = () => db.prepare('SELECT COUNT(*) FROM posts').pluck().get() as number;

    it('applies a POST once and answers a repeat with the first answer, marked replayed', async () => {
      const before = count();
      const first = await api.post('/posts').set('Authorization', bearer('ann')).set('Idempotency-Key', 'k-1').send({ message: 'once' }).expect(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const again = await api
        .post('/posts')
        .set('Authorization', basic('ann', 'right password'))
        .set('Idempotency-Key', 'k-1')
        .send({ message: 'once' })
        .expect(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.headers.location).toBe(first.headers.location);
      expect(again.body).toEqual(first.body);
      expect(count()).toBe(before + 1);
    });

    it('keeps keys apart per user, and refuses a key reused for another request with 422', async () => {
      const ann = await api.post('/posts').set('Authorization', bearer('ann')).set('Idempotency-Key', 'shared').send({ message: 'a' }).expect(201);
      const bob = await api.post('/posts').set('Authorization', bearer('bobby')).set('Idempotency-Key', 'shared').send({ message: 'a' }).expect(201);
      expect(bob.body.id).not.toBe(ann.body.id);
      const other = await api.post('/posts').set('Authorization', bearer('ann')).set('Idempotency-Key', 'shared').send({ message: 'b' }).expect(422);
      expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
      await api.post(`/posts/${ann.body.id}/like`).set('Authorization', bearer('ann')).set('Idempotency-Key', 'shared').expect(422);
    });

    it('replays a client error too, and refuses malformed keys with 400', async () => {
      const bad = await api.post('/posts').set('Authorization', bearer('ann')).set('Idempotency-Key', 'k-bad').send({ message: '' }).expect(400);
      const replayed = await api.post('/posts').set('Authorization', bearer('ann')).set('Idempotency-Key', 'k-bad').send({ message: '' }).expect(400);
      expect(replayed.headers['idempotent-replayed']).toBe('true');
      expect(replayed.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(replayed.body).toEqual(bad.body);
      for (const key of ['has space', 'x'.repeat(256), 'ünïcode', '']) {
        await api.post('/posts').set('Authorization', bearer('ann')).set('Idempotency-Key', key).send({ message: 'm' }).expect(400);
      }
      await api.post('/posts').set('Authorization', bearer('ann')).set('Idempotency-Key', 'x'.repeat(255)).send({ message: 'm' }).expect(201);
    });

    it('answers 409 while the first request with the key is in flight, and takes over an abandoned one', async () => {
      const insert = db.prepare('INSERT INTO idempotency_records (scope, key, fingerprint, created_at) VALUES (?, ?, ?, ?)');
      insert.run(`user:${'ann'.length}`, 'busy', 'whatever', Date.now());
      await api.post('/posts').set('Authorization', bearer('ann')).set('Idempotency-Key', 'busy').send({ message: 'm' }).expect(422);
      const { body } = await api.post('/posts').set('Authorization', bearer('ann')).set('Idempotency-Key', 'busy2').send({ message: 'm' }).expect(201);
      db.prepare('UPDATE idempotency_records SET status = NULL, body = NULL WHERE key = ?').run('busy2');
      await api.post('/posts').set('Authorization', bearer('ann')).set('Idempotency-Key', 'busy2').send({ message: 'm' }).expect(409);
      db.prepare('UPDATE idempotency_records SET created_at = ? WHERE key = ?').run(Date.now() - 31_000, 'busy2');
      const retaken = await api.post('/posts').set('Authorization', bearer('ann')).set('Idempotency-Key', 'busy2').send({ message: 'm' }).expect(201);
      expect(retaken.body.id).not.toBe(body.id);
    });
  });

  it('tells an account with no posts (200, empty) from nobody (404) on a user timeline', async () => {
    await api.get('/timelines/users/quiet').expect(200, { posts: [], next: null });
    await api.get('/timelines/users/nobody').expect(404);
  });

  describe('home timeline over more posts than its first scan looks through', () => {
    const insert = (username: string, createdAt: number) =>
      db.prepare('INSERT INTO posts (username, message, created_at) VALUES (?, ?, ?)').run(username, `${username} ${createdAt}`, createdAt);

    beforeAll(() => {
      // Quiet authors post once per 1,200 posts of people not followed, so a 2,000-post scan from
      // any cursor finds too few of them and the per-author query must fill the page, on every
      // page; a busy author is found by the scan itself.
      db.transaction(() => {
        for (let i = 0; i < 12_000; i++) {
          insert(`stranger_${i % 40}`, 10_000 + i);
          if (i % 1_200 === 0) insert(i % 2_400 ? 'quiet_a' : 'Quiet_B', 10_000 + i);
          if (i % 100 === 0) insert('busy', 10_000 + i);
        }
        insert('quiet_a', 10_000); // same time as two other posts: the cursor must tell them apart by id
      })();
      follows.set('reader', ['QUIET_A', 'quiet_b']);
      follows.set('fan', ['busy', 'quiet_a']);
    });

    const expected = (authors: string[]) =>
      db
        .prepare(
          `SELECT id FROM posts WHERE in_reply_to IS NULL AND lower(username) IN (SELECT lower(value) FROM json_each(?))
           ORDER BY created_at DESC, id DESC`,
        )
        .pluck()
        .all(JSON.stringify(authors)) as number[];

    it.each([
      ['reader', ['reader', 'quiet_a', 'quiet_b'], 2],
      ['fan', ['fan', 'busy', 'quiet_a'], 10],
    ])('pages through %s’s home timeline in order, every post once', async (reader, authors, limit) => {
      const posts = await collectPages<{ id: number }>(api, `/timelines/home?limit=${limit}`, 'posts', { Authorization: bearer(reader) });
      const ids = posts.map((p) => p.id);
      expect(ids).toEqual(expected(authors));
      expect(ids.length).toBeGreaterThan(limit * 4);
    });
  });
});
