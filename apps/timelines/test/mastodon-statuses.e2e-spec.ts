import { randomUUID } from 'node:crypto';
import { createRestAPIClient } from 'masto';
import generator, { MegalodonInterface } from 'megalodon';
import { basic, client, Client, eventually, startTestTopology } from '@app/testing';
import { Topology } from '@app/topology';

/** Fields Mastodon's Status entity requires (entities/Status.md), with their JSON types ('null' where Mastodon sends null here). */
const STATUS_FIELDS: Record<string, string[]> = {
  id: ['string'],
  uri: ['string'],
  url: ['string'],
  created_at: ['string'],
  account: ['object'],
  content: ['string'],
  visibility: ['string'],
  sensitive: ['boolean'],
  spoiler_text: ['string'],
  media_attachments: ['array'],
  mentions: ['array'],
  tags: ['array'],
  emojis: ['array'],
  reblogs_count: ['number'],
  favourites_count: ['number'],
  replies_count: ['number'],
  in_reply_to_id: ['string', 'null'],
  in_reply_to_account_id: ['string', 'null'],
  reblog: ['object', 'null'],
  poll: ['null'],
  card: ['null'],
  language: ['string', 'null'],
  edited_at: ['string', 'null'],
};
/** What a signed-in viewer also gets. */
const VIEWER_FIELDS: Record<string, string[]> = { favourited: ['boolean'], reblogged: ['boolean'], muted: ['boolean'], bookmarked: ['boolean'] };
const ACCOUNT_FIELDS: Record<string, string[]> = {
  id: ['string'],
  username: ['string'],
  acct: ['string'],
  display_name: ['string'],
  locked: ['boolean'],
  bot: ['boolean'],
  group: ['boolean'],
  discoverable: ['boolean'],
  created_at: ['string'],
  note: ['string'],
  url: ['string'],
  uri: ['string'],
  avatar: ['string'],
  avatar_static: ['string'],
  header: ['string'],
  header_static: ['string'],
  followers_count: ['number'],
  following_count: ['number'],
  statuses_count: ['number'],
  last_status_at: ['string', 'null'],
  emojis: ['array'],
  fields: ['array'],
};
const ISO_MILLIS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

const typeOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

function expectStatus(status: Record<string, unknown>, viewer: boolean): void {
  const fields = viewer ? { ...STATUS_FIELDS, ...VIEWER_FIELDS } : STATUS_FIELDS;
  for (const [name, types] of Object.entries(fields)) expect([name, types.includes(typeOf(status[name]))]).toEqual([name, true]);
  for (const [name, types] of Object.entries(ACCOUNT_FIELDS)) {
    expect([`account.${name}`, types.includes(typeOf((status.account as Record<string, unknown>)[name]))]).toEqual([`account.${name}`, true]);
  }
  expect(status.id).toMatch(/^\d+$/);
  expect(status.created_at).toMatch(ISO_MILLIS);
  expect(status.visibility).toBe('public');
  if (status.reblog) expectStatus(status.reblog as Record<string, unknown>, viewer);
}

/**
 * Mastodon's apps reading and writing statuses, through HAProxy to the real processes:
 * masto.js, megalodon and raw Tusky-shaped form requests, beside the native API on the
 * same posts.
 */
describe('Mastodon statuses and timelines (through HAProxy)', () => {
  let topology: Topology;
  let stop: () => Promise<void>;
  let api: Client;
  const password = 'mastodon password 1';
  const ids: Record<string, string> = {};

  const token = async (username: string, scope = 'read write follow'): Promise<string> => {
    const app = (
      await api.post('/api/v1/apps').type('form').send({ client_name: 'statuses test', redirect_uris: 'urn:ietf:wg:oauth:2.0:oob', scopes: scope }).expect(200)
    ).body as { client_id: string; client_secret: string };
    const response = await api
      .post('/oauth/token')
      .send({ grant_type: 'password', client_id: app.client_id, client_secret: app.client_secret, username, password, scope })
      .expect(200);
    return response.body.access_token as string;
  };
  const masto = async (username: string) => createRestAPIClient({ url: topology.baseUrl, accessToken: await token(username) });
  const bearer = (accessToken: string) => ({ Authorization: `Bearer ${accessToken}` });

  beforeAll(async () => {
    ({ topology, stop } = await startTestTopology({ replicas: 2 }));
    api = client(topology.baseUrl);
    for (const username of ['ada', 'bob', 'cyd', 'dee', 'eve']) {
      const created = await api
        .post('/users')
        .send({ username, email: `${username}@example.com`, password, bio: `I am ${username}` })
        .expect(201);
      ids[username] = String(created.body.id);
    }
  }, 90_000);

  afterAll(async () => {
    await stop?.();
  });

  describe('masto.js', () => {
    it("posts, replies and sees the reply in the context; every field has Mastodon's type", async () => {
      const ada = await masto('ada');
      const bob = await masto('bob');
      const status = await ada.v1.statuses.create({ status: 'hello <world>\nsecond line' });
      expect(status).toMatchObject({
        content: '<p>hello &lt;world&gt;<br>second line</p>',
        account: { username: 'ada', id: ids.ada },
        url: `${topology.baseUrl}/@ada/${status.id}`,
      });
      const reply = await bob.v1.statuses.create({ status: 'a reply', inReplyToId: status.id });
      expect(reply).toMatchObject({ inReplyToId: status.id, inReplyToAccountId: ids.ada });
      const context = await ada.v1.statuses.$select(status.id).context.fetch();
      expect(context.ancestors).toEqual([]);
      expect(context.descendants.map((item) => item.id)).toEqual([reply.id]);
      const below = await ada.v1.statuses.$select(reply.id).context.fetch();
      expect(below.ancestors.map((item) => item.id)).toEqual([status.id]);
      expect((await ada.v1.statuses.$select(status.id).fetch()).repliesCount).toBe(1);

      const raw = await api
        .get(`/api/v1/statuses/${status.id}`)
        .set(bearer(await token('cyd')))
        .expect(200);
      expect(raw.headers['content-type']).toMatch(/^application\/json/);
      expectStatus(raw.body, true);
      expectStatus((await api.get(`/api/v1/statuses/${status.id}`).expect(200)).body, false);
    });

    it('gives one status for the same Idempotency-Key twice', async () => {
      const ada = await masto('ada');
      const key = randomUUID();
      const requestInit = { headers: { 'Idempotency-Key': key } };
      const first = await ada.v1.statuses.create({ status: 'only once' }, { requestInit });
      const again = await ada.v1.statuses.create({ status: 'only once' }, { requestInit });
      expect(again.id).toBe(first.id);
      const mine = await ada.v1.accounts.$select(ids.ada).statuses.list({ limit: 40 });
      expect(mine.filter((item) => item.content === '<p>only once</p>')).toHaveLength(1);
    });

    it('favourites and unfavourites, reblogs and unreblogs', async () => {
      const ada = await masto('ada');
      const bob = await masto('bob');
      const status = await ada.v1.statuses.create({ status: 'like me' });
      const liked = await bob.v1.statuses.$select(status.id).favourite();
      expect(liked).toMatchObject({ id: status.id, favourited: true, favouritesCount: 1 });
      expect(await bob.v1.statuses.$select(status.id).favourite()).toMatchObject({ favourited: true, favouritesCount: 1 });
      expect((await bob.v1.statuses.$select(status.id).favouritedBy.list()).map((account) => account.username)).toEqual(['bob']);
      expect((await bob.v1.favourites.list()).map((item) => item.id)).toContain(status.id);
      expect(await bob.v1.statuses.$select(status.id).unfavourite()).toMatchObject({ favourited: false, favouritesCount: 0 });

      const reblog = await bob.v1.statuses.$select(status.id).reblog();
      expect(reblog.id).not.toBe(status.id);
      expect(reblog).toMatchObject({ account: { username: 'bob' }, reblog: { id: status.id, reblogged: true, reblogsCount: 1 } });
      expect((await bob.v1.statuses.$select(status.id).reblog()).id).toBe(reblog.id);
      expect((await ada.v1.statuses.$select(status.id).rebloggedBy.list()).map((account) => account.username)).toEqual(['bob']);
      const public_ = await bob.v1.timelines.public.list({ limit: 5 });
      expect(public_[0]).toMatchObject({ id: reblog.id, reblog: { id: status.id } });
      expect(await bob.v1.statuses.$select(status.id).unreblog()).toMatchObject({ id: status.id, reblogged: false, reblogsCount: 0 });
      await expect(bob.v1.statuses.$select(reblog.id).fetch()).rejects.toMatchObject({ statusCode: 404 });
    });

    it("shows a followed account's status in home exactly as its POST answered it", async () => {
      const cyd = await masto('cyd');
      const dee = await masto('dee');
      await cyd.v1.accounts.$select(ids.dee).follow();
      const posted = await dee.v1.statuses.create({ status: 'for my followers' });
      const home = await eventually(async () => {
        const page = await cyd.v1.timelines.home.list({ limit: 5 });
        return page.some((item) => item.id === posted.id) && page;
      });
      const seen = home.find((item) => item.id === posted.id)!;
      expect(seen).toEqual(
        await dee.v1.statuses
          .$select(posted.id)
          .fetch()
          .then((status) => ({ ...status, favourited: false, reblogged: false })),
      );
      expect({ ...seen, account: undefined }).toEqual({ ...posted, account: undefined });
    });

    it('walks home to its end with no status twice while others post', async () => {
      const eve = await masto('eve');
      const ada = await masto('ada');
      await eve.v1.accounts.$select(ids.ada).follow();
      for (let n = 0; n < 7; n++) await ada.v1.statuses.create({ status: `before walking ${n}` });
      await eventually(async () => (await eve.v1.timelines.home.list({ limit: 40 })).some((item) => item.account.username === 'ada'));
      const seen: string[] = [];
      let pages = 0;
      for await (const page of eve.v1.timelines.home.list({ limit: 3 })) {
        seen.push(...page.map((item) => item.id));
        if (pages++ < 3) await ada.v1.statuses.create({ status: `while walking ${pages}` });
      }
      expect(pages).toBeGreaterThan(2);
      expect(new Set(seen).size).toBe(seen.length);
      const adaStatuses = await ada.v1.accounts.$select(ids.ada).statuses.list({ limit: 40 });
      // Every status ada had before the walk began was visited (the new ones are above it).
      const before = adaStatuses.filter((item) => !item.content.includes('while walking'));
      expect(before.every((item) => seen.includes(item.id))).toBe(true);
    });

    it('deletes a status and answers it with its text', async () => {
      const ada = await masto('ada');
      const status = await ada.v1.statuses.create({ status: 'short lived' });
      const deleted = await ada.v1.statuses.$select(status.id).remove();
      expect(deleted).toMatchObject({ id: status.id, text: 'short lived' });
      await expect(ada.v1.statuses.$select(status.id).fetch()).rejects.toMatchObject({ statusCode: 404 });
      const bob = await masto('bob');
      const other = await ada.v1.statuses.create({ status: 'not yours' });
      await expect(bob.v1.statuses.$select(other.id).remove()).rejects.toMatchObject({ statusCode: 403 });
    });
  });

  describe('megalodon', () => {
    let mega: MegalodonInterface;
    beforeAll(async () => {
      mega = generator('mastodon', topology.baseUrl, await token('dee'));
    });

    it('posts, replies, favourites, reblogs, reads home and deletes', async () => {
      const posted = (await mega.postStatus('from megalodon')).data as { id: string; content: string };
      expect(posted.content).toBe('<p>from megalodon</p>');
      const reply = (await mega.postStatus('and a reply', { in_reply_to_id: posted.id })).data as { id: string; in_reply_to_id: string };
      expect(reply.in_reply_to_id).toBe(posted.id);
      expect((await mega.getStatusContext(posted.id)).data.descendants.map((item) => item.id)).toEqual([reply.id]);
      expect((await mega.favouriteStatus(posted.id)).data).toMatchObject({ favourited: true, favourites_count: 1 });
      expect((await mega.unfavouriteStatus(posted.id)).data).toMatchObject({ favourited: false, favourites_count: 0 });
      const reblog = (await mega.reblogStatus(posted.id)).data;
      expect(reblog.reblog?.id).toBe(posted.id);
      expect((await mega.unreblogStatus(posted.id)).data).toMatchObject({ id: posted.id, reblogged: false });
      const home = await mega.getHomeTimeline({ limit: 10 });
      expect(home.data.map((item) => item.id)).toContain(posted.id);
      expect(home.headers.link).toContain('rel="next"');
      expect((await mega.getAccountStatuses(ids.dee, { limit: 40 })).data.map((item) => item.id)).toContain(posted.id);
      expect((await mega.getPublicTimeline({ limit: 40 })).data.map((item) => item.id)).toContain(posted.id);
      expect((await mega.editStatus(posted.id, { status: 'edited by megalodon' })).data).toMatchObject({
        content: '<p>edited by megalodon</p>',
        edited_at: expect.stringMatching(ISO_MILLIS),
      });
      await mega.deleteStatus(posted.id);
      await expect(mega.getStatus(posted.id)).rejects.toMatchObject({ response: { status: 404 } });
    });
  });

  describe('raw requests as Tusky sends them', () => {
    it('posts a form with the fields apps send by default', async () => {
      const accessToken = await token('bob');
      const response = await api
        .post('/api/v1/statuses')
        .set(bearer(accessToken))
        .type('form')
        .send('status=from%20Tusky&visibility=public&sensitive=false&spoiler_text=&language=en')
        .expect(200);
      expect(response.body).toMatchObject({ content: '<p>from Tusky</p>', visibility: 'public', sensitive: false, spoiler_text: '' });
      const multipart = await api.post('/api/v1/statuses').set(bearer(accessToken)).field('status', 'as multipart').field('visibility', 'public').expect(200);
      expect(multipart.body.content).toBe('<p>as multipart</p>');
      const empty = await api
        .post(`/api/v1/statuses/${response.body.id}/favourite`)
        .set(bearer(accessToken))
        .set('Content-Type', 'application/json')
        .expect(200);
      expect(empty.body.favourited).toBe(true);
    });

    it('refuses what is not supported with a 422 that names it, and a bad text', async () => {
      const accessToken = await token('bob');
      const refused: Array<[string, RegExp]> = [
        ['status=x&media_ids%5B%5D=1', /media/],
        ['status=x&visibility=private', /visibility private/],
        ['status=x&spoiler_text=careful', /content warning/],
        ['status=x&poll%5Boptions%5D%5B%5D=a&poll%5Bexpires_in%5D=60', /poll/],
        ['status=x&scheduled_at=2030-01-01T00:00:00Z', /schedul/],
        ['status=x&sensitive=true', /sensitive/],
        [`status=${'a'.repeat(281)}`, /280/],
        ['status=', /status/],
      ];
      for (const [body, message] of refused) {
        const response = await api.post('/api/v1/statuses').set(bearer(accessToken)).type('form').send(body);
        expect([body, response.status, response.headers['content-type']]).toEqual([body, 422, expect.stringMatching(/^application\/json/)]);
        expect(response.body.error).toMatch(message);
      }
      const missing = await api.get('/api/v1/statuses/999999999').expect(404);
      expect(missing.body).toEqual({ error: 'Record not found' });
      await api.get('/api/v1/statuses/not-a-number').expect(404);
    });

    it('pages with Link: next below the last id, prev above the first, min_id the page just above', async () => {
      const accessToken = await token('cyd');
      const made: string[] = [];
      for (let n = 0; n < 5; n++)
        made.push(
          (
            await api
              .post('/api/v1/statuses')
              .set(bearer(accessToken))
              .send({ status: `page ${n}` })
              .expect(200)
          ).body.id,
        );
      const first = await api.get('/api/v1/timelines/public?limit=2').expect(200);
      expect(first.body.map((item: { id: string }) => item.id)).toEqual([made[4], made[3]]);
      const link = first.headers.link as string;
      expect(link).toContain(`max_id=${made[3]}>; rel="next"`);
      expect(link).toContain(`min_id=${made[4]}>; rel="prev"`);
      const next = await api.get(`/api/v1/timelines/public?limit=2&max_id=${made[3]}`).expect(200);
      expect(next.body.map((item: { id: string }) => item.id)).toEqual([made[2], made[1]]);
      const above = await api.get(`/api/v1/timelines/public?limit=2&min_id=${made[1]}`).expect(200);
      expect(above.body.map((item: { id: string }) => item.id)).toEqual([made[3], made[2]]);
      const since = await api.get(`/api/v1/timelines/public?limit=2&since_id=${made[1]}`).expect(200);
      expect(since.body.map((item: { id: string }) => item.id)).toEqual([made[4], made[3]]);
      const newest = await api.get(`/api/v1/timelines/public?min_id=${made[4]}`).expect(200);
      expect(newest.body).toEqual([]);
      expect(newest.headers.link).toBeUndefined();
    });
  });

  describe('one set of posts behind both APIs', () => {
    it('shows a post written through either API in both at once, with the same counts', async () => {
      const accessToken = await token('eve');
      const native = await api.post('/posts').set('Authorization', basic('eve', password)).send({ message: 'written natively' }).expect(201);
      const seen = await api.get(`/api/v1/statuses/${native.body.id}`).set(bearer(accessToken)).expect(200);
      expect(seen.body).toMatchObject({ id: String(native.body.id), content: '<p>written natively</p>', account: { username: 'eve' } });
      const status = await api.post('/api/v1/statuses').set(bearer(accessToken)).send({ status: 'written as a status' }).expect(200);
      const publicPage = await api.get('/timelines/public?limit=5').expect(200);
      expect(publicPage.body.posts.map((post: { id: number }) => post.id)).toContain(Number(status.body.id));
      await api.post(`/api/v1/statuses/${native.body.id}/favourite`).set(bearer(accessToken)).expect(200);
      await api.post(`/posts/${native.body.id}/like`).set('Authorization', basic('ada', password)).expect(200);
      expect((await api.get(`/posts/${native.body.id}`).expect(200)).body.likes).toBe(2);
      expect((await api.get(`/api/v1/statuses/${native.body.id}`).expect(200)).body.favourites_count).toBe(2);
      // The OAuth token works on the native API too: reading with read, writing with write.
      await api.post('/posts').set(bearer(accessToken)).send({ message: 'native with an app token' }).expect(201);
      const readOnly = await token('eve', 'read');
      await api.get('/timelines/home').set(bearer(readOnly)).expect(200);
      expect((await api.post('/posts').set(bearer(readOnly)).send({ message: 'refused' }).expect(403)).headers['content-type']).toMatch(/problem\+json/);
      expect((await api.post('/api/v1/statuses').set(bearer(readOnly)).send({ status: 'refused' }).expect(403)).body.error).toBeDefined();
    });

    it('ends a revoked token on every timelines replica within 2 seconds', async () => {
      const app = (
        await api.post('/api/v1/apps').send({ client_name: 'revoked', redirect_uris: 'urn:ietf:wg:oauth:2.0:oob', scopes: 'read write' }).expect(200)
      ).body;
      const issued = await api
        .post('/oauth/token')
        .send({ grant_type: 'password', client_id: app.client_id, client_secret: app.client_secret, username: 'ada', password, scope: 'read write' })
        .expect(200);
      const accessToken = issued.body.access_token as string;
      await eventually(async () => (await api.get('/api/v1/timelines/home').set(bearer(accessToken))).status === 200, 2000);
      await api.post('/oauth/revoke').send({ client_id: app.client_id, client_secret: app.client_secret, token: accessToken }).expect(200);
      await eventually(async () => {
        // Several requests, so that each replica behind HAProxy is asked.
        const statuses = await Promise.all([1, 2, 3, 4].map(async () => (await api.get('/api/v1/timelines/home').set(bearer(accessToken))).status));
        return statuses.every((status) => status === 401);
      }, 2000);
    });

    it('lists a status with favourites in trends, from the monitor', async () => {
      const ada = await masto('ada');
      const status = await ada.v1.statuses.create({ status: 'trending now' });
      for (const username of ['bob', 'cyd', 'dee']) await (await masto(username)).v1.statuses.$select(status.id).favourite();
      const trending = await eventually(async () => {
        const response = await api.get('/api/v1/trends/statuses').expect(200);
        return response.body.some((item: { id: string; favourites_count: number }) => item.id === status.id && item.favourites_count === 3) && response.body;
      });
      const item = trending.find((entry: { id: string }) => entry.id === status.id);
      expect(item).toMatchObject({ content: '<p>trending now</p>', favourites_count: 3, account: { username: 'ada', id: ids.ada } });
      expectStatus(item, false);
      expect((await api.get('/api/v1/trends/tags').expect(200)).body).toEqual([]);
    });
  });
});
