import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { JwtService } from '@nestjs/jwt';
import {
  basic,
  client,
  Client,
  collectPages,
  ResponseLog,
  startTestRedis,
  tempDir,
  TEST_SECRET,
  TestDatabase,
  testPostgresDatabase,
  TestRedis,
} from '@app/testing';
import { createUsersApp } from '../src/users-app';
import { loadUsersConfig } from '../src/users-config';

/**
 * The users service as main.ts runs it (configureApp, Fastify) on a free port, over a real
 * SQLite file, or a real PostgreSQL database in a run on PostgreSQL (npm run test:postgres).
 */
describe('users service', () => {
  const dir = tempDir('users');
  const log = new ResponseLog();
  const passwords = ['correct horse battery', 'pass:with:colons', 'another secret 1', 'changed password 2'];
  let app: NestFastifyApplication;
  let api: Client;
  let postgres: TestDatabase | undefined;
  /** Its own bus: the users it registers are published to a Redis of this suite, never to one it did not start. */
  let redis: TestRedis;

  const register = (username: string, password = passwords[0], extra: Record<string, unknown> = {}) =>
    api.post('/users').send({ username, email: `${username}@example.com`, password, ...extra });

  beforeAll(async () => {
    postgres = await testPostgresDatabase('users_e2e');
    redis = await startTestRedis();
    const config = loadUsersConfig({
      REDIS_URL: redis.url,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_PATH: `${dir.path}/users.db`,
      DATABASE_URL: postgres?.url,
      JWT_SECRET: TEST_SECRET,
      LOG_LEVEL: 'silent',
    });
    app = await createUsersApp(config);
    await app.listen(0, '127.0.0.1');
    api = client(await app.getUrl(), log);
    await register('alice', passwords[0], { bio: 'first' }).expect(201);
    await register('Bob', passwords[1]).expect(201);
    await register('carol', passwords[2]).expect(201);
  });

  afterAll(async () => {
    await app.close();
    await redis.stop();
    dir.remove();
    await postgres?.drop();
  });

  describe('POST /users', () => {
    it('creates a user and answers the owner form with Location', async () => {
      const response = await register('dave_1', passwords[0], { bio: '🙂 hi' }).expect(201);
      expect(response.headers.location).toBe('/users/dave_1');
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body).toEqual({
        id: expect.any(Number),
        username: 'dave_1',
        email: 'dave_1@example.com',
        bio: '🙂 hi',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        role: 'user',
        followers: 0,
        following: 0,
      });
    });

    it('takes form data and defaults a missing bio to ""', async () => {
      const response = await api.post('/users').type('form').send({ username: 'formuser', email: 'form@example.com', password: 'form password' }).expect(201);
      expect(response.body.bio).toBe('');
    });

    it.each([
      [{ username: 'bad name', email: 'x1@example.com', password: 'password1' }, 'username'],
      [{ username: 'a'.repeat(31), email: 'x2@example.com', password: 'password1' }, 'username'],
      [{ username: 'ME', email: 'x3@example.com', password: 'password1' }, 'username'],
      [{ username: '', email: 'x4@example.com', password: 'password1' }, 'username'],
      [{ username: 12, email: 'x5@example.com', password: 'password1' }, 'username'],
      [{ username: 'x6', email: 'not-an-email', password: 'password1' }, 'email'],
      [{ username: 'x7', email: 'x7@example.com', password: 'short' }, 'password'],
      [{ username: 'x8', email: 'x8@example.com', password: 'p'.repeat(129) }, 'password'],
      [{ username: 'x9', email: 'x9@example.com', password: 'password1', bio: 'b'.repeat(161) }, 'bio'],
      [{ username: 'x10', email: 'x10@example.com', password: 'password1', bio: 'nul\u0000' }, 'bio'],
      [{ username: 'x11', email: 'x11@example.com', password: 'password1', bio: 'lone \ud800' }, 'bio'],
      [{ username: 'x12', email: 'x12@example.com' }, 'password'],
      [{ username: 'x13', email: 'x13@example.com', password: 'password1', admin: true }, 'admin'],
    ])('refuses %j with a 400 naming %s', async (body, field) => {
      const response = await api.post('/users').send(body).expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ type: 'about:blank', title: 'Bad Request', status: 400 });
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('counts code points: a 160-emoji bio is fine', async () => {
      await register('emoji', passwords[0], { bio: '😀'.repeat(160) }).expect(201);
    });

    it('refuses taken usernames and emails regardless of case with 409', async () => {
      const byName = await register('ALICE').expect(409);
      expect(byName.body.detail).toMatch(/username/);
      const byEmail = await api.post('/users').send({ username: 'alice2', email: 'ALICE@example.com', password: 'password1' }).expect(409);
      expect(byEmail.body.detail).toMatch(/email/);
    });

    it('answers malformed JSON, wrong media types and oversize bodies with problem details', async () => {
      const malformed = await api.post('/users').set('Content-Type', 'application/json').send('{"username":').expect(400);
      expect(malformed.body.detail).toMatch(/JSON/);
      await api.post('/users').set('Content-Type', 'application/json').send('[1,2]').expect(400);
      await api.post('/users').set('Content-Type', 'application/json').send('"text"').expect(400);
      const plain = await api.post('/users').set('Content-Type', 'text/plain').send('hello').expect(415);
      expect(plain.headers['content-type']).toMatch(/^application\/problem\+json/);
      await api.post('/users').set('Content-Type', 'application/xml').send('<a/>').expect(415);
      const untyped = await api.post('/users').set('Content-Type', '').send(Buffer.from('{"a":1}')).expect(415);
      expect(untyped.body.status).toBe(415);
      const big = await api
        .post('/users')
        .send({ username: 'big', email: 'big@example.com', password: 'x'.repeat(70_000) })
        .expect(413);
      expect(big.body).toMatchObject({ status: 413, title: 'Payload Too Large' });
    });
  });

  describe('Idempotency-Key on POST /users (the key alone names the request)', () => {
    it('registers once; a repeat gets the first answer, replayed; another body with the key is a 422', async () => {
      const body = { username: 'idem_user', email: 'idem@example.com', password: passwords[0] };
      const first = await api.post('/users').set('Idempotency-Key', 'signup-1').send(body).expect(201);
      const again = await api.post('/users').set('Idempotency-Key', 'signup-1').send(body).expect(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.headers.location).toBe('/users/idem_user');
      expect(again.body).toEqual(first.body);
      await api.post('/users').send(body).expect(409);
      await api
        .post('/users')
        .set('Idempotency-Key', 'signup-1')
        .send({ ...body, username: 'idem_other' })
        .expect(422);
      await api.post('/users').set('Idempotency-Key', 'bad key').send(body).expect(400);
    });

    it('keeps the key of a token request per user', async () => {
      const first = await api.post('/auth/token').set('Authorization', basic('alice', passwords[0])).set('Idempotency-Key', 'tok').expect(200);
      const again = await api.post('/auth/token').set('Authorization', basic('alice', passwords[0])).set('Idempotency-Key', 'tok').expect(200);
      expect(again.body.access_token).toBe(first.body.access_token);
      const bob = await api.post('/auth/token').set('Authorization', basic('Bob', passwords[1])).set('Idempotency-Key', 'tok').expect(200);
      expect(bob.headers['idempotent-replayed']).toBeUndefined();
    });
  });

  describe('reading users', () => {
    it('shows the public form, without email, whatever the case of the name', async () => {
      const response = await api.get('/users/ALICE').expect(200);
      expect(response.body).toEqual({
        id: expect.any(Number),
        username: 'alice',
        bio: 'first',
        createdAt: expect.any(String),
        followers: expect.any(Number),
        following: expect.any(Number),
      });
    });

    it('answers 404 for an unknown user', async () => {
      const response = await api.get('/users/nobody').expect(404);
      expect(response.body).toMatchObject({ status: 404, title: 'Not Found' });
    });

    it('lists users by username without regard to case, every one exactly once across pages', async () => {
      const all = await collectPages<{ username: string }>(api, '/users?limit=2', 'users');
      const names = all.map((user) => user.username);
      expect(names.length).toBeGreaterThanOrEqual(6);
      expect(new Set(names).size).toBe(names.length);
      expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
      expect(names.indexOf('alice')).toBeLessThan(names.indexOf('Bob'));
      expect(names.indexOf('Bob')).toBeLessThan(names.indexOf('carol'));
    });

    it('sends the next link as a Link header and keeps the limit', async () => {
      const response = await api.get('/users?limit=1').expect(200);
      expect(response.body.next).toMatch(/^\/users\?limit=1&cursor=/);
      expect(response.headers.link).toBe(`<${response.body.next}>; rel="next"`);
    });

    it.each(['limit=0', 'limit=101', 'limit=abc', 'limit=', 'limit=1.5', 'cursor=', 'cursor=%%%', 'cursor=bm90LWpzb24'])(
      'answers 400 for %s',
      async (query) => {
        const response = await api.get(`/users?${query}`).expect(400);
        expect(response.body.status).toBe(400);
      },
    );
  });

  describe('credentials', () => {
    it('needs credentials for /users/me: 401 with the Basic challenge', async () => {
      const response = await api.get('/users/me').expect(401);
      expect(response.headers['www-authenticate']).toBe('Basic realm="microblog", charset="UTF-8"');
      expect(response.body).toMatchObject({ status: 401 });
    });

    it('shows the owner form to the owner, by Basic credentials with any case of the name', async () => {
      const response = await api.get('/users/me').set('Authorization', basic('ALICE', passwords[0])).expect(200);
      expect(response.body).toMatchObject({ username: 'alice', email: 'alice@example.com' });
    });

    it('accepts a password containing colons', async () => {
      await api.get('/users/me').set('Authorization', basic('Bob', passwords[1])).expect(200);
    });

    it.each([
      ['a wrong password', basic('carol', 'wrong password')],
      ['an unknown user', basic('nobody', 'whatever1')],
      ['a header that is not base64', 'Basic !!!'],
      ['credentials without a colon', `Basic ${Buffer.from('carol').toString('base64')}`],
      ['an unknown scheme', 'Digest abc'],
    ])('refuses %s with 401', async (_, header) => {
      const response = await api.get('/users/me').set('Authorization', header).expect(401);
      expect(response.headers['www-authenticate']).toMatch(/^Basic realm="microblog"/);
    });

    it('issues tokens that work as Bearer credentials, and issues them from a token too', async () => {
      const issued = await api.post('/auth/token').set('Authorization', basic('carol', passwords[2])).expect(200);
      expect(issued.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
      const bearer = `Bearer ${issued.body.access_token}`;
      const me = await api.get('/users/me').set('Authorization', bearer).expect(200);
      expect(me.body.username).toBe('carol');
      await api.post('/auth/token').set('Authorization', bearer).expect(200);
      const verified = await api.post('/auth/verify').set('Authorization', bearer).expect(200);
      expect(verified.body).toEqual({ id: me.body.id, username: 'carol', role: 'user' });
    });

    it('refuses forged and expired tokens with the Bearer invalid_token challenge', async () => {
      const forged = new JwtService({ secret: 'some-other-secret-entirely' }).sign({ sub: '1', username: 'alice' });
      const expired = new JwtService({ secret: TEST_SECRET }).sign({ sub: '1', username: 'alice', exp: Math.floor(Date.now() / 1000) - 10 });
      for (const token of [forged, expired, 'not.a.jwt']) {
        const response = await api.get('/users/me').set('Authorization', `Bearer ${token}`).expect(401);
        expect(response.headers['www-authenticate']).toBe('Basic realm="microblog", charset="UTF-8", Bearer error="invalid_token"');
      }
    });

    it('verifies Basic credentials for the other services', async () => {
      const response = await api.post('/auth/verify').set('Authorization', basic('alice', passwords[0])).expect(200);
      expect(response.body).toEqual({ id: expect.any(Number), username: 'alice', role: 'user', credentialsVersion: 1 });
      await api.post('/auth/verify').set('Authorization', basic('alice', 'wrong password')).expect(401);
    });

    it('throttles 10 failed logins for one username: 429 with Retry-After, even for the right password', async () => {
      await register('victim', passwords[0]).expect(201);
      for (let i = 0; i < 10; i++) {
        await api
          .post('/auth/token')
          .set('X-Forwarded-For', '198.51.100.1')
          .set('Authorization', basic('victim', `guess ${i} wrong`))
          .expect(401);
      }
      const blocked = await api.post('/auth/token').set('X-Forwarded-For', '198.51.100.2').set('Authorization', basic('VICTIM', passwords[0])).expect(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(300);
      await api.post('/auth/verify').set('Authorization', basic('victim', passwords[0])).expect(429);
      await api.post('/auth/token').set('Authorization', basic('alice', passwords[0])).expect(200);
    });

    it('throttles 50 failed logins from one client address', async () => {
      const address = '203.0.113.9';
      for (let i = 0; i < 50; i++) {
        await api
          .post('/auth/verify')
          .set('X-Forwarded-For', address)
          .set('Authorization', basic(`someone${i}`, 'wrong password'))
          .expect(401);
      }
      const blocked = await api.post('/auth/verify').set('X-Forwarded-For', address).set('Authorization', basic('alice', passwords[0])).expect(429);
      expect(blocked.headers['retry-after']).toBeDefined();
      await api.post('/auth/verify').set('X-Forwarded-For', '203.0.113.10').set('Authorization', basic('alice', passwords[0])).expect(200);
    }, 30_000);
  });

  describe('PATCH /users/me', () => {
    const auth = () => basic('carol', passwords[2]);

    it('changes nothing for {} and answers the owner form', async () => {
      const before = await api.get('/users/me').set('Authorization', auth()).expect(200);
      const after = await api.patch('/users/me').set('Authorization', auth()).send({}).expect(200);
      expect(after.body).toEqual(before.body);
    });

    it('changes the bio and the email', async () => {
      const response = await api.patch('/users/me').set('Authorization', auth()).send({ bio: 'new bio', email: 'carol@new.example' }).expect(200);
      expect(response.body).toMatchObject({ bio: 'new bio', email: 'carol@new.example' });
      await api.patch('/users/me').set('Authorization', auth()).send({ email: 'CAROL@new.example' }).expect(200);
    });

    it('refuses an email another user has, with 409', async () => {
      await api.patch('/users/me').set('Authorization', auth()).send({ email: 'Alice@Example.com' }).expect(409);
    });

    it('refuses bad fields with 400, and checks credentials first', async () => {
      await api
        .patch('/users/me')
        .set('Authorization', auth())
        .send({ bio: 'x'.repeat(161) })
        .expect(400);
      await api.patch('/users/me').set('Authorization', auth()).send({ username: 'renamed' }).expect(400);
      await api.patch('/users/me').set('Authorization', auth()).send({ password: 'short' }).expect(400);
      await api
        .patch('/users/me')
        .send({ bio: 'x'.repeat(161) })
        .expect(401);
    });

    it('refuses JSON nested deeper than 32 levels with 400, never a 500', async () => {
      const deep = '{"a":'.repeat(10_000);
      const patched = await api.patch('/users/me').set('Authorization', auth()).set('Content-Type', 'application/json').send(deep).expect(400);
      expect(patched.body.detail).toBe('request body nests deeper than 32 levels');
      const created = await api
        .post('/users')
        .set('Content-Type', 'application/json')
        .send('['.repeat(33) + ']'.repeat(33))
        .expect(400);
      expect(created.body.detail).toBe('request body nests deeper than 32 levels');
    });

    it('changes the password: the old one stops working, the new one works', async () => {
      await api.patch('/users/me').set('Authorization', auth()).send({ password: passwords[3] }).expect(200);
      await api.get('/users/me').set('Authorization', auth()).expect(401);
      await api.get('/users/me').set('Authorization', basic('carol', passwords[3])).expect(200);
      passwords[2] = passwords[3];
    });
  });

  describe('the follow graph', () => {
    const alice = () => basic('alice', passwords[0]);

    it('follows and unfollows idempotently, with counts to match', async () => {
      for (let i = 0; i < 2; i++) {
        const response = await api.post('/users/bob/follow').set('Authorization', alice()).expect(200);
        expect(response.body).toEqual({ username: 'Bob', following: true });
      }
      expect((await api.get('/users/Bob').expect(200)).body.followers).toBe(1);
      expect((await api.get('/users/alice').expect(200)).body.following).toBe(1);
      const followers = await api.get('/users/Bob/followers').expect(200);
      expect(followers.body).toEqual({ users: [expect.objectContaining({ username: 'alice' })], next: null });
      const following = await api.get('/users/alice/following').expect(200);
      expect(following.body.users.map((u: { username: string }) => u.username)).toEqual(['Bob']);
      for (let i = 0; i < 2; i++) {
        const response = await api.post('/users/Bob/unfollow').set('Authorization', alice()).expect(200);
        expect(response.body).toEqual({ username: 'Bob', following: false });
      }
      expect((await api.get('/users/Bob').expect(200)).body.followers).toBe(0);
    });

    it('refuses following yourself (400), unknown users (404) and anonymous callers (401)', async () => {
      await api.post('/users/ALICE/follow').set('Authorization', alice()).expect(400);
      await api.post('/users/nobody/follow').set('Authorization', alice()).expect(404);
      await api.post('/users/nobody/unfollow').set('Authorization', alice()).expect(404);
      await api.post('/users/Bob/follow').expect(401);
      await api.post('/users/Bob/unfollow').expect(401);
    });

    it('pages follower lists and answers 404 for unknown users', async () => {
      for (const name of ['Bob', 'carol', 'dave_1']) {
        await api
          .post('/users/emoji/follow')
          .set('Authorization', basic(name, name === 'Bob' ? passwords[1] : name === 'carol' ? passwords[2] : passwords[0]))
          .expect(200);
      }
      const all = await collectPages<{ username: string }>(api, '/users/emoji/followers?limit=2', 'users');
      expect(all.map((u) => u.username)).toEqual(['Bob', 'carol', 'dave_1']);
      await api.get('/users/nobody/followers').expect(404);
      await api.get('/users/nobody/following').expect(404);
      await api.get('/users/emoji/followers?limit=0').expect(400);
    });
  });

  describe('the HTTP edge of the service', () => {
    it('echoes a good X-Request-ID, replaces a bad one, and names itself', async () => {
      const kept = await api.get('/users/alice').set('X-Request-ID', 'abc.DEF_123-x').expect(200);
      expect(kept.headers['x-request-id']).toBe('abc.DEF_123-x');
      expect(kept.headers['x-served-by']).toBe('users-1');
      const replaced = await api.get('/users/alice').set('X-Request-ID', 'bad id!').expect(200);
      expect(replaced.headers['x-request-id']).toMatch(/^[A-Za-z0-9._-]{1,128}$/);
      expect(replaced.headers['x-request-id']).not.toBe('bad id!');
    });

    it('answers unknown paths with a problem+json 404', async () => {
      const response = await api.get('/nowhere').expect(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('reports liveness and readiness', async () => {
      await api.get('/health').expect(200);
      const ready = await api.get('/health/ready').expect(200);
      expect(ready.body.details.database.status).toBe('up');
    });
  });

  it('never sent a password or a password hash in any response', () => {
    expect(log.bodies.length).toBeGreaterThan(50);
    expect(log.leaks(passwords)).toEqual([]);
  });
});
