import { createHash, randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { createOAuthAPIClient, createRestAPIClient, mastodon } from 'masto';
import generator from 'megalodon';
import { Browser, chromium, Page } from 'playwright-core';
import { basic, client, Client, eventually, startTestTopology } from '@app/testing';
import { Topology } from '@app/topology';

/** Fields Mastodon's Account entity requires (entities/Account.md), with their JSON types. */
const ACCOUNT_FIELDS: Record<string, string> = {
  id: 'string',
  username: 'string',
  acct: 'string',
  display_name: 'string',
  locked: 'boolean',
  bot: 'boolean',
  group: 'boolean',
  discoverable: 'boolean',
  created_at: 'string',
  note: 'string',
  url: 'string',
  uri: 'string',
  avatar: 'string',
  avatar_static: 'string',
  header: 'string',
  header_static: 'string',
  followers_count: 'number',
  following_count: 'number',
  statuses_count: 'number',
  emojis: 'array',
  fields: 'array',
};
const RELATIONSHIP_FIELDS: Record<string, string> = {
  id: 'string',
  following: 'boolean',
  showing_reblogs: 'boolean',
  notifying: 'boolean',
  followed_by: 'boolean',
  blocking: 'boolean',
  blocked_by: 'boolean',
  muting: 'boolean',
  muting_notifications: 'boolean',
  requested: 'boolean',
  requested_by: 'boolean',
  domain_blocking: 'boolean',
  endorsed: 'boolean',
  note: 'string',
};

function expectFields(entity: Record<string, unknown>, fields: Record<string, string>): void {
  for (const [name, type] of Object.entries(fields)) {
    const value = entity[name];
    expect([name, Array.isArray(value) ? 'array' : typeof value]).toEqual([name, type]);
  }
}

function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The app's end of a redirect: a local server that records where the browser was sent. */
async function startCallback(): Promise<{ server: Server; url: string; last: () => URL | undefined }> {
  let last: URL | undefined;
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    // The browser also asks for /favicon.ico: only the redirect counts.
    if (url.pathname === '/callback') last = url;
    response.writeHead(200, { 'Content-Type': 'text/plain' }).end('back in the app');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`, last: () => last };
}

/**
 * Mastodon's apps signing in, through HAProxy to the real processes: masto.js with the
 * password grant, megalodon and a real browser (Debian's Chromium) through the sign-in
 * page, and raw requests shaped as Tusky sends them.
 */
describe('Mastodon apps sign in (through HAProxy)', () => {
  let topology: Topology;
  let stop: () => Promise<void>;
  let api: Client;
  let browser: Browser;
  let callback: Awaited<ReturnType<typeof startCallback>>;
  const password = 'mastodon password 1';

  const registerApp = async (scopes = 'read write follow', redirectUris = 'urn:ietf:wg:oauth:2.0:oob') =>
    (await api.post('/api/v1/apps').type('form').send({ client_name: 'test app', redirect_uris: redirectUris, scopes }).expect(200)).body as {
      id: string;
      client_id: string;
      client_secret: string;
    };

  const passwordToken = async (username: string, scope = 'read write follow', registered = 'read write follow'): Promise<string> => {
    const app = await registerApp(registered);
    const response = await api
      .post('/oauth/token')
      .send({ grant_type: 'password', client_id: app.client_id, client_secret: app.client_secret, username, password, scope })
      .expect(200);
    return response.body.access_token as string;
  };

  beforeAll(async () => {
    ({ topology, stop } = await startTestTopology({ replicas: 1 }));
    api = client(topology.baseUrl);
    for (const username of ['mia', 'noah', 'olga', 'pete', 'quin']) {
      await api
        .post('/users')
        .send({ username, email: `${username}@example.com`, password, bio: `I am ${username}\n& <b>bold</b>` })
        .expect(201);
    }
    callback = await startCallback();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    callback?.server.close();
    await stop?.();
  });

  describe('masto.js', () => {
    it('registers an app, gets a token with the password grant and reads the account', async () => {
      const app = await createRestAPIClient({ url: topology.baseUrl }).v1.apps.create({
        clientName: 'masto bot',
        redirectUris: 'urn:ietf:wg:oauth:2.0:oob',
        scopes: 'read write follow',
      });
      expect(app.clientId).toMatch(/^mbi_/);
      const token = await createOAuthAPIClient({ url: topology.baseUrl }).token.create({
        grantType: 'password',
        clientId: app.clientId!,
        clientSecret: app.clientSecret!,
        redirectUri: 'urn:ietf:wg:oauth:2.0:oob',
        username: 'mia',
        password,
        scope: 'read write follow',
      });
      expect(token).toMatchObject({ tokenType: 'Bearer', scope: 'read write follow', createdAt: expect.any(Number) });
      const masto = createRestAPIClient({ url: topology.baseUrl, accessToken: token.accessToken });
      const me = await masto.v1.accounts.verifyCredentials();
      expect(me).toMatchObject({ username: 'mia', acct: 'mia', url: `${topology.baseUrl}/@mia`, source: { note: 'I am mia\n& <b>bold</b>' } });
      expect(me.note).toBe('<p>I am mia<br>&amp; &lt;b&gt;bold&lt;/b&gt;</p>');
      expect(me.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect((await masto.v1.apps.verifyCredentials()).name).toBe('masto bot');
      const instance = await masto.v2.instance.fetch();
      expect(instance.configuration.statuses.maxCharacters).toBe(280);
      expect(instance.version).toMatch(/^4\.\d+\.\d+ \(compatible; microblog/);
      expect((await masto.v1.instance.fetch()).urls.streamingApi).toMatch(/^ws/);
    });

    it('looks an account up, follows and unfollows it with the relationship right, and reads followers', async () => {
      const masto = createRestAPIClient({ url: topology.baseUrl, accessToken: await passwordToken('mia') });
      const noah = await masto.v1.accounts.lookup({ acct: 'noah' });
      expect(noah.username).toBe('noah');
      // masto.js camel-cases what it reads; the entity's own field names are checked on the wire.
      expectFields((await api.get(`/api/v1/accounts/${noah.id}`).expect(200)).body, ACCOUNT_FIELDS);
      const followed = await masto.v1.accounts.$select(noah.id).follow();
      expect(followed).toMatchObject({ id: noah.id, following: true, followedBy: false });
      const [relationship] = await masto.v1.accounts.relationships.fetch({ id: [noah.id] });
      expect(relationship.following).toBe(true);
      const followers = await masto.v1.accounts.$select(noah.id).followers.list();
      expect(followers.map((account) => account.username)).toEqual(['mia']);
      expect((await masto.v1.accounts.$select(noah.id).fetch()).followersCount).toBe(1);
      const unfollowed = await masto.v1.accounts.$select(noah.id).unfollow();
      expect(unfollowed).toMatchObject({ id: noah.id, following: false });
      expect(await masto.v1.accounts.$select(noah.id).followers.list()).toEqual([]);
    });

    it('pages followers with Link until it ends, each account once', async () => {
      const olga = (await api.get('/api/v1/accounts/lookup?acct=olga').expect(200)).body.id as string;
      for (const username of ['mia', 'noah', 'pete', 'quin']) {
        await api
          .post(`/api/v1/accounts/${olga}/follow`)
          .set('Authorization', `Bearer ${await passwordToken(username)}`)
          .expect(200);
      }
      const masto = createRestAPIClient({ url: topology.baseUrl });
      const seen: string[] = [];
      for await (const page of masto.v1.accounts.$select(olga).followers.list({ limit: 3 }))
        seen.push(...page.map((account: mastodon.v1.Account) => account.username));
      expect(seen.sort()).toEqual(['mia', 'noah', 'pete', 'quin']);
    });

    it('reads an error as Mastodon sends it', async () => {
      const masto = createRestAPIClient({ url: topology.baseUrl, accessToken: 'mbt_not-a-token' });
      await expect(masto.v1.accounts.verifyCredentials()).rejects.toMatchObject({ statusCode: 401, message: 'The access token is invalid' });
    });
  });

  describe('the sign-in page in a browser, with megalodon', () => {
    let page: Page;
    beforeEach(async () => (page = await browser.newPage()));
    afterEach(() => page.close());

    const signIn = async (url: string, username: string, secret: string, decision: 'Authorize' | 'Deny' = 'Authorize') => {
      await page.goto(url);
      await page.fill('#username', username);
      await page.fill('#password', secret);
      await Promise.all([page.waitForEvent('framenavigated'), page.click(`button:has-text("${decision}")`)]);
      await page.waitForLoadState();
    };

    it('signs in and hands the app a code it exchanges for a token (megalodon)', async () => {
      const megalodon = generator('mastodon', topology.baseUrl);
      const app = await megalodon.registerApp('megalodon app', { scopes: ['read', 'write', 'follow'], redirect_uris: callback.url });
      expect(app.url).toContain('/oauth/authorize?');
      await page.goto(app.url!);
      expect(await page.textContent('#app-name')).toBe('megalodon app');
      expect(await page.textContent('#scopes')).toContain('follow and unfollow people as you');
      await signIn(app.url!, 'pete', password);
      const code = callback.last()?.searchParams.get('code');
      expect(code).toMatch(/^mbc_/);
      const token = await megalodon.fetchAccessToken(app.client_id, app.client_secret, code!, callback.url);
      const signedIn = generator('mastodon', topology.baseUrl, token.access_token);
      expect((await signedIn.verifyAccountCredentials()).data.username).toBe('pete');
      // A code is used once.
      await expect(megalodon.fetchAccessToken(app.client_id, app.client_secret, code!, callback.url)).rejects.toThrow();
    });

    it('keeps state, honours PKCE S256, and a wrong verifier spends the code', async () => {
      const app = await registerApp('read write', callback.url);
      const signInWithChallenge = async (challenge: string) => {
        await signIn(
          `${topology.baseUrl}/oauth/authorize?response_type=code&client_id=${app.client_id}&redirect_uri=${encodeURIComponent(callback.url)}&scope=read&state=xyz&code_challenge=${challenge}&code_challenge_method=S256`,
          'quin',
          password,
        );
        expect(callback.last()?.searchParams.get('state')).toBe('xyz');
        return callback.last()!.searchParams.get('code')!;
      };
      const exchange = (code: string, codeVerifier?: string) =>
        api
          .post('/oauth/token')
          .type('form')
          .send({
            grant_type: 'authorization_code',
            client_id: app.client_id,
            client_secret: app.client_secret,
            code,
            redirect_uri: callback.url,
            ...(codeVerifier ? { code_verifier: codeVerifier } : {}),
          });
      const first = pkcePair();
      const right = await exchange(await signInWithChallenge(first.challenge), first.verifier).expect(200);
      expect(right.body).toMatchObject({ token_type: 'Bearer', scope: 'read' });
      const second = pkcePair();
      const code = await signInWithChallenge(second.challenge);
      await exchange(code).expect(400);
      const wrong = await exchange(await signInWithChallenge(second.challenge), pkcePair().verifier).expect(400);
      expect(wrong.body).toMatchObject({ error: 'invalid_grant', error_description: expect.any(String) });
      // A failed verification uses the code up (no guessing the verifier online).
      await exchange(code, second.verifier).expect(400);
    });

    it('sends the app access_denied when the person denies', async () => {
      const app = await registerApp('read', callback.url);
      await signIn(
        `${topology.baseUrl}/oauth/authorize?response_type=code&client_id=${app.client_id}&redirect_uri=${encodeURIComponent(callback.url)}&state=s1`,
        '',
        '',
        'Deny',
      );
      expect(callback.last()?.searchParams.get('error')).toBe('access_denied');
      expect(callback.last()?.searchParams.get('state')).toBe('s1');
      expect(callback.last()?.searchParams.get('code')).toBeNull();
    });

    it('says a wrong password on the page and issues nothing', async () => {
      const app = await registerApp('read', callback.url);
      const before = callback.last()?.href;
      const response = await page.goto(
        `${topology.baseUrl}/oauth/authorize?response_type=code&client_id=${app.client_id}&redirect_uri=${encodeURIComponent(callback.url)}`,
      );
      expect(response?.status()).toBe(200);
      await page.fill('#username', 'pete');
      await page.fill('#password', 'not the password');
      const [answer] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/oauth/authorize')), page.click('button:has-text("Authorize")')]);
      expect(answer.status()).toBe(401);
      expect(await page.textContent('[role=alert]')).toContain('username or password is wrong');
      expect(await page.inputValue('#username')).toBe('pete');
      expect(callback.last()?.href).toBe(before);
    });

    it('refuses a redirect URI the app did not register, without redirecting', async () => {
      const app = await registerApp('read', callback.url);
      const response = await page.goto(
        `${topology.baseUrl}/oauth/authorize?response_type=code&client_id=${app.client_id}&redirect_uri=${encodeURIComponent('https://evil.example/steal')}`,
      );
      expect(response?.status()).toBe(400);
      expect(await page.textContent('#invalid')).toContain('not one the app registered');
      expect(page.url()).toContain('/oauth/authorize');
    });

    it('shows the code out of band', async () => {
      const app = await registerApp('read');
      await signIn(`${topology.baseUrl}/oauth/authorize?response_type=code&client_id=${app.client_id}&redirect_uri=urn:ietf:wg:oauth:2.0:oob`, 'mia', password);
      const code = await page.textContent('#code');
      expect(code).toMatch(/^mbc_/);
      await api
        .post('/oauth/token')
        .send({ grant_type: 'authorization_code', client_id: app.client_id, client_secret: app.client_secret, code, redirect_uri: 'urn:ietf:wg:oauth:2.0:oob' })
        .expect(200);
    });
  });

  describe('requests as Tusky sends them', () => {
    it('refuses a sign-in form posted without its CSRF token', async () => {
      const app = await registerApp('read', callback.url);
      const response = await api
        .post('/oauth/authorize')
        .type('form')
        .send({ client_id: app.client_id, redirect_uri: callback.url, response_type: 'code', username: 'mia', password, decision: 'authorize' })
        .expect(403);
      expect(response.text).toContain('did not come from this site');
    });

    it('takes form bodies with id[]= arrays, empty JSON bodies and multipart', async () => {
      const token = await passwordToken('noah');
      const auth = { Authorization: `Bearer ${token}` };
      const [mia, olga] = await Promise.all(
        ['mia', 'olga'].map(async (name) => (await api.get(`/api/v1/accounts/lookup?acct=${name}`).expect(200)).body.id as string),
      );
      await api.post(`/api/v1/accounts/${mia}/follow`).set(auth).set('Content-Type', 'application/json').expect(200);
      const relationships = await api.get(`/api/v1/accounts/relationships?id[]=${mia}&id[]=${olga}&id[]=999999`).set(auth).expect(200);
      expect(relationships.body.map((r: { id: string; following: boolean }) => [r.id, r.following])).toEqual([
        [mia, true],
        [olga, true],
      ]);
      for (const relationship of relationships.body) expectFields(relationship, RELATIONSHIP_FIELDS);
      const multipart = await api
        .post('/api/v1/apps')
        .field('client_name', 'multipart app')
        .field('redirect_uris', 'urn:ietf:wg:oauth:2.0:oob')
        .field('scopes', 'read')
        .expect(200);
      expect(multipart.body).toMatchObject({ name: 'multipart app', scopes: ['read'] });
      const unfollowed = await api.post(`/api/v1/accounts/${mia}/unfollow`).set(auth).type('form').send('').expect(200);
      expect(unfollowed.body.following).toBe(false);
    });

    it('answers errors as Mastodon does, as application/json, never a 5xx', async () => {
      const cases: Array<[string, () => ReturnType<Client['get']>, number]> = [
        ['no token', () => api.get('/api/v1/accounts/verify_credentials'), 401],
        ['unknown account', () => api.get('/api/v1/accounts/123456789'), 404],
        ['not an id', () => api.get('/api/v1/accounts/abc'), 404],
        ['unknown route', () => api.get('/api/v1/no_such_thing'), 404],
        ['app without a name', () => api.post('/api/v1/apps').send({ redirect_uris: 'urn:ietf:wg:oauth:2.0:oob' }), 422],
        ['unknown scope', () => api.post('/api/v1/apps').send({ client_name: 'x', scopes: 'read admin:everything' }), 422],
        ['malformed JSON', () => api.post('/api/v1/apps').set('Content-Type', 'application/json').send('{"client_name":'), 400],
      ];
      for (const [name, send, status] of cases) {
        const response = await send();
        expect([name, response.status]).toEqual([name, status]);
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        expect(response.body).toEqual({ error: expect.any(String) });
      }
      const badGrant = await api
        .post('/oauth/token')
        .type('form')
        .send({ grant_type: 'password', client_id: 'nope', client_secret: 'nope', username: 'mia', password })
        .expect(401);
      expect(badGrant.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    });

    it('answers what apps ask for at start with empty answers of their shapes', async () => {
      const auth = { Authorization: `Bearer ${await passwordToken('mia')}` };
      for (const path of [
        '/api/v1/notifications',
        '/api/v1/lists',
        '/api/v1/filters',
        '/api/v2/filters',
        '/api/v1/follow_requests',
        '/api/v1/blocks',
        '/api/v1/mutes',
        '/api/v1/bookmarks',
        '/api/v1/announcements',
        '/api/v1/custom_emojis',
        '/api/v1/instance/languages',
      ]) {
        const response = await api.get(path).set(auth);
        expect([path, response.status, Array.isArray(response.body)]).toEqual([path, 200, true]);
      }
      expect((await api.get('/api/v1/preferences').set(auth).expect(200)).body['posting:default:visibility']).toBe('public');
      expect((await api.get('/api/v1/markers').set(auth).expect(200)).body).toEqual({});
      expect((await api.get('/api/v1/instance/rules').expect(200)).body[0]).toMatchObject({ id: expect.any(String), text: expect.any(String) });
      const links = (await api.get('/.well-known/nodeinfo').expect(200)).body.links;
      expect((await api.get(new URL(links[0].href).pathname).expect(200)).body.software.name).toBe('mastodon');
      const avatar = await api.get(new URL((await api.get('/api/v1/accounts/lookup?acct=mia')).body.avatar).pathname).expect(200);
      expect(avatar.headers['content-type']).toBe('image/png');
    });
  });

  describe('scopes and the end of a token', () => {
    it('refuses a follow to a token without follow or write scope (403), and allows it with write:follows', async () => {
      const quin = (await api.get('/api/v1/accounts/lookup?acct=quin').expect(200)).body.id as string;
      const readOnly = await passwordToken('mia', 'read');
      const refused = await api.post(`/api/v1/accounts/${quin}/follow`).set('Authorization', `Bearer ${readOnly}`).expect(403);
      expect(refused.body).toEqual({ error: 'This action is outside the authorized scopes' });
      const fine = await passwordToken('mia', 'read write:follows', 'read write:follows');
      await api.post(`/api/v1/accounts/${quin}/follow`).set('Authorization', `Bearer ${fine}`).expect(200);
      // An app cannot have a scope it did not register.
      const app = await registerApp('read');
      await api
        .post('/oauth/token')
        .send({ grant_type: 'password', client_id: app.client_id, client_secret: app.client_secret, username: 'mia', password, scope: 'write' })
        .expect(400);
    });

    it('ends a revoked token within 2 seconds, and only that one', async () => {
      const app = await registerApp();
      const issue = async () =>
        (
          await api
            .post('/oauth/token')
            .send({ grant_type: 'password', client_id: app.client_id, client_secret: app.client_secret, username: 'olga', password, scope: 'read' })
            .expect(200)
        ).body.access_token as string;
      const [revoked, kept] = [await issue(), await issue()];
      await api.post('/oauth/revoke').type('form').send({ client_id: app.client_id, client_secret: app.client_secret, token: revoked }).expect(200);
      await eventually(async () => (await api.get('/api/v1/accounts/verify_credentials').set('Authorization', `Bearer ${revoked}`)).status === 401, 2_000);
      await api.get('/api/v1/accounts/verify_credentials').set('Authorization', `Bearer ${kept}`).expect(200);
    });

    it("ends every token of a user whose password changed within 2 seconds; a client_credentials token is the app's, not a user's", async () => {
      const token = await passwordToken('pete');
      await api.get('/api/v1/accounts/verify_credentials').set('Authorization', `Bearer ${token}`).expect(200);
      await api.patch('/users/me').set('Authorization', basic('pete', password)).send({ password: 'a new password 2' }).expect(200);
      await eventually(async () => (await api.get('/api/v1/accounts/verify_credentials').set('Authorization', `Bearer ${token}`)).status === 401, 2_000);
      const app = await registerApp('read');
      const appToken = (
        await api
          .post('/oauth/token')
          .type('form')
          .send({ grant_type: 'client_credentials', client_id: app.client_id, client_secret: app.client_secret })
          .expect(200)
      ).body.access_token;
      await api.get('/api/v1/apps/verify_credentials').set('Authorization', `Bearer ${appToken}`).expect(200);
      expect((await api.get('/api/v1/accounts/verify_credentials').set('Authorization', `Bearer ${appToken}`).expect(422)).body.error).toMatch(
        /authenticated user/,
      );
    });
  });
});
