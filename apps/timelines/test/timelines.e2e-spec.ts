import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { basic, client, Client, collectPages, eventually, startTestTopology, TEST_SECRET } from '@app/testing';
import { JwtService } from '@nestjs/jwt';
import { entryPoint, Topology } from '@app/topology';
import { PostView } from '../src/posts/post.view';

type Post = PostView;

/** users, two timelines replicas and HAProxy as real processes over real SQLite files; every request goes through HAProxy. */
describe('timelines service (through HAProxy)', () => {
  let topology: Topology;
  let stop: () => Promise<void>;
  let logs: string[];
  let api: Client;
  const password = 'timelines password';
  const as = (username: string) => basic(username, password);

  const post = async (username: string, message: string): Promise<Post> =>
    (await api.post('/posts').set('Authorization', as(username)).send({ message }).expect(201)).body;

  beforeAll(async () => {
    ({ topology, stop, logs } = await startTestTopology({ replicas: 2, env: { CORS_ORIGINS: 'https://app.example.com' } }));
    api = client(topology.baseUrl);
    for (const username of ['ann', 'ben', 'cat', 'dan']) {
      await api
        .post('/users')
        .send({ username, email: `${username}@example.com`, password })
        .expect(201);
    }
  }, 60_000);

  afterAll(() => stop?.());

  it('serves the seed data', async () => {
    const response = await api.get('/timelines/users/User1').expect(200);
    expect(response.body.posts[0]).toMatchObject({ id: 1, username: 'User1', message: 'testtttt', timestamp: '2021-10-12T22:58:57.000Z' });
  });

  describe('posts', () => {
    it('creates a post: 201, Location, the full post form', async () => {
      const response = await api.post('/posts').set('Authorization', as('ann')).send({ message: 'hello 🌍' }).expect(201);
      expect(response.headers.location).toBe(`/posts/${response.body.id}`);
      expect(response.body).toEqual({
        id: expect.any(Number),
        username: 'ann',
        message: 'hello 🌍',
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        repost: null,
        inReplyTo: null,
        likes: 0,
        reposts: 0,
        replies: 0,
        editedAt: null,
        url: `/posts/${response.body.id}`,
      });
      const read = await api.get(response.headers.location).expect(200);
      expect(read.body).toEqual(response.body);
    });

    it('keeps text exactly as sent and counts code points', async () => {
      const message = '  spaced\tand 😀 '.padEnd(50, '😀');
      expect((await post('ann', message)).message).toBe(message);
      await api
        .post('/posts')
        .set('Authorization', as('ann'))
        .send({ message: '😀'.repeat(280) })
        .expect(201);
    });

    it.each([
      [{ message: '' }],
      [{ message: '   \n\t\u3000\u2003' }],
      [{ message: 'x'.repeat(281) }],
      [{ message: 'nul \u0000' }],
      [{ message: 'lone \udc00' }],
      [{ message: 42 }],
      [{}],
      [{ message: 'ok', extra: 1 }],
    ])('refuses %j with 400', async (body) => {
      const response = await api.post('/posts').set('Authorization', as('ann')).send(body).expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.errors.length).toBeGreaterThan(0);
    });

    it('needs credentials (401 before validation) and accepts Bearer tokens verified locally', async () => {
      const anonymous = await api.post('/posts').send({ message: '' }).expect(401);
      expect(anonymous.headers['www-authenticate']).toMatch(/^Basic realm="microblog"/);
      const token = (await api.post('/auth/token').set('Authorization', as('ben')).expect(200)).body.access_token;
      const created = await api.post('/posts').set('Authorization', `Bearer ${token}`).send({ message: 'by token' }).expect(201);
      expect(created.body.username).toBe('ben');
      const forged = new JwtService({ secret: 'not-the-shared-secret-at-all' }).sign({ sub: '1', username: 'ben' });
      const refused = await api.post('/posts').set('Authorization', `Bearer ${forged}`).send({ message: 'x' }).expect(401);
      expect(refused.headers['www-authenticate']).toContain('Bearer error="invalid_token"');
      const expired = new JwtService({ secret: TEST_SECRET }).sign({ sub: '1', username: 'ben', exp: 1 });
      await api.get('/timelines/home').set('Authorization', `Bearer ${expired}`).expect(401);
      await api.post('/posts').set('Authorization', basic('ben', 'wrong password')).send({ message: 'x' }).expect(401);
    });

    it('answers 404 for unknown and malformed post ids', async () => {
      for (const id of ['999999', 'abc', '0', '-1', '1.5']) {
        const response = await api.get(`/posts/${id}`).expect(404);
        expect(response.body.status).toBe(404);
      }
    });

    it('lets only the owner edit: editedAt set, timestamp kept; 400, 401, 403, 404 otherwise', async () => {
      const original = await post('ann', 'first version');
      await api.patch(`/posts/${original.id}`).send({ message: 'x' }).expect(401);
      await api.patch(`/posts/${original.id}`).set('Authorization', as('ann')).send({ message: '' }).expect(400);
      await api.patch('/posts/999999').set('Authorization', as('ann')).send({ message: 'x' }).expect(404);
      await api.patch(`/posts/${original.id}`).set('Authorization', as('ben')).send({ message: 'hijack' }).expect(403);
      const edited = await api.patch(`/posts/${original.id}`).set('Authorization', as('ANN')).send({ message: 'second version' }).expect(200);
      expect(edited.body).toMatchObject({ message: 'second version', timestamp: original.timestamp, editedAt: expect.any(String) });
      expect((await api.get(`/posts/${original.id}`).expect(200)).body.message).toBe('second version');
    });

    it('lets only the owner delete, and deleting removes likes, comments and reposts', async () => {
      const doomed = await post('ann', 'to be deleted');
      await api.post(`/posts/${doomed.id}/like`).set('Authorization', as('ben')).expect(200);
      const comment = (await api.post(`/posts/${doomed.id}/comments`).set('Authorization', as('ben')).send({ message: 'c' }).expect(201)).body;
      const repost = (await api.post(`/posts/${doomed.id}/repost`).set('Authorization', as('cat')).expect(201)).body;
      await api.delete(`/posts/${doomed.id}`).expect(401);
      await api.delete(`/posts/${doomed.id}`).set('Authorization', as('ben')).expect(403);
      await api.delete(`/posts/${doomed.id}`).set('Authorization', as('ann')).expect(204);
      for (const id of [doomed.id, comment.id, repost.id]) await api.get(`/posts/${id}`).expect(404);
      await api.delete(`/posts/${doomed.id}`).set('Authorization', as('ann')).expect(404);
    });
  });

  describe('reposts and likes', () => {
    it('reposts once per user (201, then 200 with the same repost), pointing to the original', async () => {
      const original = await post('ann', 'worth sharing');
      const first = await api.post(`/posts/${original.id}/repost`).set('Authorization', as('ben')).expect(201);
      expect(first.body).toMatchObject({ username: 'ben', message: 'worth sharing', repost: `/posts/${original.id}` });
      expect(first.headers.location).toBe(`/posts/${first.body.id}`);
      const again = await api.post(`/posts/${original.id}/repost`).set('Authorization', as('ben')).expect(200);
      expect(again.body.id).toBe(first.body.id);
      const ofRepost = await api.post(`/posts/${first.body.id}/repost`).set('Authorization', as('cat')).expect(201);
      expect(ofRepost.body.repost).toBe(`/posts/${original.id}`);
      await api.post(`/posts/${original.id}/repost`).set('Authorization', as('ann')).expect(201);
      expect((await api.get(`/posts/${original.id}`).expect(200)).body.reposts).toBe(3);
      const edit = await api.patch(`/posts/${first.body.id}`).set('Authorization', as('ben')).send({ message: 'changed' }).expect(400);
      expect(edit.body.detail).toMatch(/repost/);
      await api.post('/posts/999999/repost').set('Authorization', as('ben')).expect(404);
      await api.post(`/posts/${original.id}/repost`).expect(401);
    });

    it('likes and unlikes idempotently with exact counts', async () => {
      const target = await post('ann', 'like me');
      expect((await api.post(`/posts/${target.id}/like`).set('Authorization', as('ben')).expect(200)).body).toEqual({ id: target.id, liked: true, likes: 1 });
      expect((await api.post(`/posts/${target.id}/like`).set('Authorization', as('BEN')).expect(200)).body).toEqual({ id: target.id, liked: true, likes: 1 });
      expect((await api.post(`/posts/${target.id}/like`).set('Authorization', as('cat')).expect(200)).body.likes).toBe(2);
      expect((await api.delete(`/posts/${target.id}/like`).set('Authorization', as('ben')).expect(200)).body).toEqual({
        id: target.id,
        liked: false,
        likes: 1,
      });
      expect((await api.delete(`/posts/${target.id}/like`).set('Authorization', as('ben')).expect(200)).body).toEqual({
        id: target.id,
        liked: false,
        likes: 1,
      });
      expect((await api.get(`/posts/${target.id}`).expect(200)).body.likes).toBe(1);
      await api.post('/posts/999999/like').set('Authorization', as('ben')).expect(404);
      await api.delete('/posts/999999/like').set('Authorization', as('ben')).expect(404);
      await api.post(`/posts/${target.id}/like`).expect(401);
    });
  });

  describe('comments', () => {
    it('adds replies listed oldest first under their post and nowhere else', async () => {
      const parent = await post('cat', 'discuss');
      const replies: Post[] = [];
      for (const [i, user] of ['ann', 'ben', 'ann'].entries()) {
        const response = await api
          .post(`/posts/${parent.id}/comments`)
          .set('Authorization', as(user))
          .send({ message: `reply ${i}` })
          .expect(201);
        expect(response.body).toMatchObject({ inReplyTo: parent.id, username: user });
        replies.push(response.body);
      }
      const listed = await collectPages<Post>(api, `/posts/${parent.id}/comments?limit=2`, 'posts');
      expect(listed.map((p) => p.id)).toEqual(replies.map((p) => p.id));
      expect((await api.get(`/posts/${parent.id}`).expect(200)).body.replies).toBe(3);
      const nested = await api.post(`/posts/${replies[0].id}/comments`).set('Authorization', as('cat')).send({ message: 'nested' }).expect(201);
      expect(nested.body.inReplyTo).toBe(replies[0].id);
      const everyone = await collectPages<Post>(api, '/timelines/public?limit=100', 'posts');
      expect(everyone.some((p) => p.inReplyTo !== null)).toBe(false);
      const annTimeline = await collectPages<Post>(api, '/timelines/users/ann?limit=100', 'posts');
      expect(annTimeline.some((p) => p.inReplyTo !== null)).toBe(false);
    });

    it('refuses bad comments and unknown posts', async () => {
      const parent = await post('cat', 'quiet');
      await api.post(`/posts/${parent.id}/comments`).set('Authorization', as('ann')).send({ message: ' ' }).expect(400);
      await api.post(`/posts/${parent.id}/comments`).send({ message: 'hi' }).expect(401);
      await api.post('/posts/999999/comments').set('Authorization', as('ann')).send({ message: 'hi' }).expect(404);
      await api.get('/posts/999999/comments').expect(404);
      await api.get(`/posts/${parent.id}/comments?limit=0`).expect(400);
    });
  });

  describe('timelines', () => {
    it('lists the public timeline newest first and pages it with Link headers', async () => {
      const response = await api.get('/timelines/public?limit=3').expect(200);
      expect(response.body.posts).toHaveLength(3);
      expect(response.headers.link).toBe(`<${response.body.next}>; rel="next"`);
      const all = await collectPages<Post>(api, '/timelines/public?limit=7', 'posts');
      const keys = all.map((p) => [Date.parse(p.timestamp), p.id] as const);
      for (let i = 1; i < keys.length; i++) {
        expect(keys[i - 1][0] > keys[i][0] || (keys[i - 1][0] === keys[i][0] && keys[i - 1][1] > keys[i][1])).toBe(true);
      }
    });

    it('visits every post exactly once while new posts are being written', async () => {
      const before = await collectPages<Post>(api, '/timelines/public?limit=100', 'posts');
      const seen: number[] = [];
      let next: string | null = '/timelines/public?limit=3';
      while (next) {
        const page: { body: { posts: Post[]; next: string | null } } = await api.get(next).expect(200);
        seen.push(...page.body.posts.map((p) => p.id));
        next = page.body.next;
        await post('dan', `written while paging ${seen.length}`);
      }
      expect(seen).toEqual(before.map((p) => p.id));
    });

    it('shows a user timeline of posts and reposts; 404 for unknown users; empty for users with no posts', async () => {
      const own = await post('dan', 'dan says');
      const timeline = await collectPages<Post>(api, '/timelines/users/DAN?limit=100', 'posts');
      expect(timeline[0].id).toBe(own.id);
      expect(timeline.every((p) => p.username === 'dan')).toBe(true);
      await api.get('/timelines/users/nobody_here').expect(404);
      await api.post('/users').send({ username: 'quiet', email: 'quiet@example.com', password }).expect(201);
      expect((await api.get('/timelines/users/quiet').expect(200)).body).toEqual({ posts: [], next: null });
    });

    it('answers every read on every replica with the last write at once: a remembered answer never outlives a write', async () => {
      const target = await post('cat', 'remembered, then liked');
      /** The answer of each of the two replicas to the same read (X-Served-By tells them apart). */
      const fromEveryReplica = async (path: string, auth?: string): Promise<Array<{ likes?: number; posts?: Post[] }>> => {
        const bodies = new Map<string, { likes?: number; posts?: Post[] }>();
        for (let i = 0; i < 20 && bodies.size < 2; i++) {
          const request = api.get(path);
          if (auth) request.set('Authorization', auth);
          const response = await request.expect(200);
          bodies.set(String(response.headers['x-served-by']), response.body);
        }
        expect(bodies.size).toBe(2);
        return [...bodies.values()];
      };
      // Every replica reads (and remembers) the post, the public page and cat's home timeline...
      for (const body of await fromEveryReplica(`/posts/${target.id}`)) expect(body.likes).toBe(0);
      for (const body of await fromEveryReplica('/timelines/public')) expect(body.posts?.[0].id).toBe(target.id);
      for (const body of await fromEveryReplica('/timelines/home', as('cat'))) expect(body.posts?.[0].id).toBe(target.id);
      // ...then one replica or the other writes, and both answer with the writes, with no wait.
      await api.post(`/posts/${target.id}/like`).set('Authorization', as('dan')).expect(200);
      const newer = await post('cat', 'written after the pages were remembered');
      for (const body of await fromEveryReplica(`/posts/${target.id}`)) expect(body.likes).toBe(1);
      for (const body of await fromEveryReplica('/timelines/public')) expect(body.posts?.[0].id).toBe(newer.id);
      for (const body of await fromEveryReplica('/timelines/home', as('cat'))) {
        expect(body.posts?.slice(0, 2).map((p) => [p.id, p.likes])).toEqual([
          [newer.id, 0],
          [target.id, 1],
        ]);
      }
    });

    it('builds the home timeline from own posts and followed users; a follow shows within 2 s', async () => {
      const annPost = await post('ann', 'from ann to her followers');
      const catPost = await post('cat', 'from cat, not followed');
      const benPost = await post('ben', 'ben at home');
      await api.post('/users/ann/follow').set('Authorization', as('ben')).expect(200);
      await eventually(async () => {
        const home = await collectPages<Post>(api, '/timelines/home?limit=5', 'posts', { Authorization: as('ben') });
        const ids = home.map((p) => p.id);
        expect(ids).toEqual(expect.arrayContaining([annPost.id, benPost.id]));
        expect(ids).not.toContain(catPost.id);
        expect(new Set(home.map((p) => p.username.toLowerCase()))).toEqual(new Set(['ann', 'ben']));
      }, 2000);
      await api.post('/users/ann/unfollow').set('Authorization', as('ben')).expect(200);
      await eventually(async () => {
        const after = await collectPages<Post>(api, '/timelines/home?limit=100', 'posts', { Authorization: as('ben') });
        expect(after.map((p) => p.id)).not.toContain(annPost.id);
      }, 2000);
      await api.get('/timelines/home').expect(401);
    });

    it.each(['limit=0', 'limit=101', 'limit=x', 'cursor=', 'cursor=WyJhIl0', 'cursor=!!'])('answers 400 for ?%s', async (query) => {
      await api.get(`/timelines/public?${query}`).expect(400);
      await api.get(`/timelines/home?${query}`).set('Authorization', as('ann')).expect(400);
    });
  });

  it('stops accepting a changed password within 2 seconds', async () => {
    await api.post('/users').send({ username: 'changer', email: 'changer@example.com', password }).expect(201);
    await api.get('/timelines/home').set('Authorization', as('changer')).expect(200);
    await api.patch('/users/me').set('Authorization', as('changer')).send({ password: 'brand new password' }).expect(200);
    // A fixed wait, the contract's bound: polling with the old password would count failed logins and trip the throttle.
    await sleep(2000);
    for (let i = 0; i < 2; i++) await api.get('/timelines/home').set('Authorization', as('changer')).expect(401);
    await api.get('/timelines/home').set('Authorization', basic('changer', 'brand new password')).expect(200);
  });

  it('never double-counts or fails under concurrent writes from every replica', async () => {
    const target = await post('ann', 'popular');
    const likers = Array.from({ length: 20 }, (_, i) => `liker${i}`);
    for (const username of likers) {
      await api
        .post('/users')
        .send({ username, email: `${username}@example.com`, password })
        .expect(201);
    }
    // Credentials checked once on each replica first: the burst below is about exact counts
    // under concurrent writes, not about how fast users can run 40 scrypt checks at once.
    for (const username of likers) {
      for (let i = 0; i < 2; i++) await api.get('/timelines/home').set('Authorization', as(username)).expect(200);
    }
    const writes = likers.flatMap((username) => [
      ...Array.from({ length: 3 }, () => api.post(`/posts/${target.id}/like`).set('Authorization', as(username))),
      ...Array.from({ length: 2 }, () => api.post(`/posts/${target.id}/repost`).set('Authorization', as(username))),
      api
        .post('/posts')
        .set('Authorization', as(username))
        .send({ message: `concurrent from ${username}` }),
    ]);
    const responses = await Promise.all(writes);
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s >= 400)).toEqual([]);
    const servedBy = new Set(responses.map((r) => r.headers['x-served-by']));
    expect(servedBy).toEqual(new Set(['timelines-1', 'timelines-2']));
    const final = (await api.get(`/posts/${target.id}`).expect(200)).body;
    expect(final.likes).toBe(20);
    expect(final.reposts).toBe(20);
    const repostIds = new Set(responses.filter((r) => r.body.repost).map((r) => r.body.id));
    expect(repostIds.size).toBe(20);
  }, 60_000);

  describe('hardening', () => {
    it('never gives a deleted post’s id to a new post', async () => {
      const newest = await post('dan', 'newest, then gone');
      await api.delete(`/posts/${newest.id}`).set('Authorization', as('dan')).expect(204);
      const next = await post('dan', 'after the delete');
      expect(next.id).toBeGreaterThan(newest.id);
      await api.get(`/posts/${newest.id}`).expect(404);
    });

    it('refuses JSON nested deeper than 32 levels on every body route with 400 problem+json', async () => {
      const target = await post('ann', 'nesting target');
      const deep = '{"a":'.repeat(10_000);
      const routes: Array<[string, string, string | undefined]> = [
        ['post', '/posts', as('ann')],
        ['patch', `/posts/${target.id}`, as('ann')],
        ['post', `/posts/${target.id}/comments`, as('ann')],
        ['post', '/users', undefined],
        ['patch', '/users/me', as('ann')],
      ];
      for (const [method, path, auth] of routes) {
        const test = (method === 'post' ? api.post(path) : api.patch(path)).set('Content-Type', 'application/json');
        const response = await (auth ? test.set('Authorization', auth) : test).send(deep).expect(400);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.body.detail).toBe('request body nests deeper than 32 levels');
      }
    });

    it('answers a repeated Idempotency-Key from whichever replica gets it, applying the POST once', async () => {
      const key = `idem-${Date.now()}`;
      const first = await api.post('/posts').set('Authorization', as('cat')).set('Idempotency-Key', key).send({ message: 'exactly once' }).expect(201);
      const servers = new Set([first.headers['x-served-by']]);
      for (let i = 0; i < 4; i++) {
        const again = await api.post('/posts').set('Authorization', as('cat')).set('Idempotency-Key', key).send({ message: 'exactly once' }).expect(201);
        expect(again.headers['idempotent-replayed']).toBe('true');
        expect(again.body).toEqual(first.body);
        servers.add(again.headers['x-served-by']);
      }
      expect(servers).toEqual(new Set(['timelines-1', 'timelines-2']));
      const mine = await collectPages<Post>(api, '/timelines/users/cat?limit=100', 'posts');
      expect(mine.filter((p) => p.message === 'exactly once')).toHaveLength(1);
      await api.post('/posts').set('Authorization', as('cat')).set('Idempotency-Key', key).send({ message: 'something else' }).expect(422);
    });

    it('answers CORS preflights through HAProxy for listed origins only', async () => {
      const preflight = await api
        .options('/posts')
        .set('Origin', 'https://app.example.com')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'Idempotency-Key')
        .expect(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example.com');
      expect(preflight.headers['access-control-allow-headers']).toContain('Idempotency-Key');
      const users = await api.get('/users?limit=1').set('Origin', 'https://app.example.com').expect(200);
      expect(users.headers['access-control-expose-headers']).toContain('Link');
      const other = await api.options('/posts').set('Origin', 'https://elsewhere.example').set('Access-Control-Request-Method', 'POST');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('lets an admin delete anyone’s post, and a revocation reaches every replica within 2 s, tokens included', async () => {
      const cli = (...args: string[]) => spawnSync(process.execPath, [entryPoint('users-cli'), ...args, ...topology.usersDatabaseArgs], { encoding: 'utf8' });
      const unknown = cli('grant-admin', 'nobody_at_all');
      expect(unknown.status).toBe(1);
      expect(unknown.stderr).toContain('user nobody_at_all does not exist');
      const granted = cli('grant-admin', 'Dan');
      expect(granted.status).toBe(0);
      expect(granted.stdout.trim()).toBe('dan is now admin (was user)');
      const issued = await api.post('/auth/token').set('Authorization', as('dan')).expect(200);
      const adminToken = `Bearer ${issued.body.access_token}`;
      expect((await api.get('/users/me').set('Authorization', adminToken).expect(200)).body.role).toBe('admin');

      const victims = await Promise.all(Array.from({ length: 8 }, (_, i) => post('ann', `moderated ${i}`)));
      // The grant reaches timelines as an event (bounded by the contract's 2 s): wait until both replicas
      // accept it, each try spending posts of its own, as one that is still refused deletes nothing.
      const warmups = await Promise.all(Array.from({ length: 100 }, (_, i) => post('ann', `warm-up ${i}`)));
      await eventually(async () => {
        for (let i = 0; i < 2; i++) await api.delete(`/posts/${warmups.pop()!.id}`).set('Authorization', adminToken).expect(204);
      }, 2000);
      const moderators = new Set<string>();
      for (const victim of victims.slice(0, 2)) {
        moderators.add((await api.delete(`/posts/${victim.id}`).set('Authorization', adminToken).expect(204)).headers['x-served-by']);
      }
      expect(moderators).toEqual(new Set(['timelines-1', 'timelines-2']));
      await api.delete(`/posts/${victims[2].id}`).set('Authorization', as('ben')).expect(403);

      const decoys = await Promise.all(Array.from({ length: 100 }, (_, i) => post('ann', `decoy ${i}`)));
      expect(cli('revoke-admin', 'dan').stdout.trim()).toBe('dan is now user (was admin)');
      // Wait (bounded by the contract's 2 s) until both replicas refuse: each try spends posts of its own, as one
      // that still succeeds deletes its post.
      await eventually(async () => {
        for (let i = 0; i < 2; i++) await api.delete(`/posts/${decoys.pop()!.id}`).set('Authorization', adminToken).expect(403);
      }, 2000);
      const refusedBy = new Set<string>();
      for (const victim of victims.slice(2, 6)) {
        const auth = refusedBy.size % 2 ? as('dan') : adminToken;
        refusedBy.add((await api.delete(`/posts/${victim.id}`).set('Authorization', auth).expect(403)).headers['x-served-by']);
      }
      expect(refusedBy).toEqual(new Set(['timelines-1', 'timelines-2']));
      await api.get(`/posts/${victims[5].id}`).expect(200);
    }, 30_000);
  });

  describe('when the users service is frozen (SIGSTOP)', () => {
    it('answers 503 from the one replica that waited, not after a replay on every replica', async () => {
      const token = new JwtService({ secret: TEST_SECRET }).sign({ sub: '1', username: 'ann' });
      process.kill(topology.process('users-1')!.pid!, 'SIGSTOP');
      try {
        for (let i = 0; i < 3; i++) {
          const requestId = `frozen-users-${i}-${Date.now()}`;
          const started = Date.now();
          const response = await api
            .get('/timelines/home')
            .set('X-Request-ID', requestId)
            .set('Authorization', basic('ann', `unseen ${i}`))
            .expect(503);
          console.log(`users frozen: 503 after ${Date.now() - started} ms`);
          expect(response.headers['retry-after']).toBeDefined();
          // Every replica that handles a request logs it, before HAProxy logs the request's end;
          // HAProxy must not have replayed it on the other replica.
          const linesOf = (prefix: string) => logs.filter((line) => line.startsWith(prefix) && line.includes(requestId));
          await eventually(() => linesOf('haproxy').length > 0 && linesOf('timelines-').length > 0);
          expect(linesOf('timelines-')).toHaveLength(1);
        }
        // What needs no call to users keeps working at once.
        await api.post('/posts').set('Authorization', `Bearer ${token}`).send({ message: 'users is frozen' }).expect(201);
        await api.get('/timelines/public').expect(200);
      } finally {
        process.kill(topology.process('users-1')!.pid!, 'SIGCONT');
      }
    }, 30_000);
  });

  describe('when the users service is down', () => {
    it('answers 503 with Retry-After within a second where it needs users, keeps public reads, and recovers', async () => {
      const kept = await post('ann', 'still readable');
      await topology.signal('users-1', 'SIGKILL');
      for (let i = 0; i < 5; i++) {
        const started = Date.now();
        const response = await api
          .get('/timelines/home')
          .set('Authorization', basic('ann', `uncached ${i}`))
          .expect(503);
        expect(Date.now() - started).toBeLessThan(1000);
        expect(response.headers['retry-after']).toBeDefined();
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
      await api.post('/posts').set('Authorization', basic('ben', 'not cached either')).send({ message: 'x' }).expect(503);
      await api.get('/timelines/public').expect(200);
      await api.get(`/posts/${kept.id}`).expect(200);
      await api.get('/timelines/users/ann').expect(200);
      const token = new JwtService({ secret: TEST_SECRET }).sign({ sub: '1', username: 'ann' });
      await api.post(`/posts/${kept.id}/like`).set('Authorization', `Bearer ${token}`).expect(200);

      topology.launch('users-1');
      await topology.waitReady('users-1');
      await eventually(() => api.get('/timelines/home').set('Authorization', as('ann')).expect(200));
    }, 30_000);
  });
});
