import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createOAuthAPIClient, createRestAPIClient } from 'masto';
import generator from 'megalodon';
import { freePort, ROOT } from '@app/topology';
import { basicAuth, forgeToken, servedBy as servedByAt, trafficDuring, trustBuildCa, waitUntil } from './docker-traffic';

const run = promisify(execFile);

/**
 * `docker compose up --scale timelines=N` for real: the project's images built from its own
 * Dockerfile, brought up with Debian's docker-compose (v1) on the engine DOCKER_HOST names,
 * and every check made through the published HAProxy port. Everything it creates is
 * removed at the end, passed or failed.
 */
describe('docker compose', () => {
  const project = `microblog-e2e-${process.pid}`;
  let port: number;
  let base: string;
  const report: string[] = [];

  const compose = async (...args: string[]) => {
    const { stdout } = await run('docker-compose', ['-p', project, '-f', join(ROOT, 'docker-compose.yml'), ...args], {
      cwd: ROOT,
      // No JWT_SECRET: the deployment must make its own rather than fall back to a published one.
      env: { ...process.env, HTTP_PORT: String(port), JWT_SECRET: '' },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  };
  const docker = async (...args: string[]) => (await run('docker', args, { maxBuffer: 16 * 1024 * 1024 })).stdout.trim();
  const timelinesContainers = async () => (await compose('ps', '-q', 'timelines')).split('\n').filter(Boolean);

  const servedBy = (requests: number) => servedByAt(base, requests);

  beforeAll(async () => {
    trustBuildCa();
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    await compose('build');
    const size = Number(await docker('image', 'inspect', 'microblog:latest', '--format', '{{.Size}}'));
    report.push(`image microblog:latest: ${(size / 1e6).toFixed(0)} MB`);
    const started = Date.now();
    await compose('up', '-d', '--scale', 'timelines=3');
    await waitUntil(async () => (await fetch(`${base}/timelines/public`)).status === 200, 180_000);
    report.push(`from up to the first good answer: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  afterAll(async () => {
    await compose('down', '-v', '--remove-orphans', '--timeout', '20').catch((error: Error) => console.error(error.message));
    console.log(`compose suite:\n  ${report.join('\n  ')}`);
  });

  it('serves the seed data through HAProxy', async () => {
    const response = await fetch(`${base}/timelines/users/User1`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { posts: Array<{ message: string }> };
    expect(body.posts[0].message).toBe('testtttt');
    const login = await fetch(`${base}/users/me`, { headers: { Authorization: basicAuth('steve', 'password3') } });
    expect(login.status).toBe(200);
  });

  it('serves the API reference through HAProxy (/openapi.json, /docs and its local assets), and no /metrics on port 80', async () => {
    const document = await fetch(`${base}/openapi.json`);
    expect(document.status).toBe(200);
    expect(((await document.json()) as { openapi: string }).openapi).toBe('3.1.0');
    const page = await fetch(`${base}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await fetch(`${base}/docs/swagger-ui-bundle.js`)).status).toBe(200);
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
  });

  it('signs tokens with a secret of its own, shared by users and timelines, never a published one', async () => {
    const issued = await fetch(`${base}/auth/token`, {
      method: 'POST',
      headers: { Authorization: basicAuth('steve', 'password3') },
    });
    const { access_token: token } = (await issued.json()) as { access_token: string };
    const posted = await fetch(`${base}/posts`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ message: 'token from users, accepted by timelines' }),
    });
    expect(posted.status).toBe(201);
    for (const published of ['compose-development-secret-change-me', 'development-only-secret-change-me']) {
      const forged = forgeToken(published, { sub: '2', username: 'steve' });
      const response = await fetch(`${base}/posts`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${forged}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ message: 'forged' }),
      });
      expect(response.status).toBe(401);
    }
  });

  it('runs Redis and the monitor: a like reaches trending through the event bus', async () => {
    const auth = basicAuth('chris', 'password2');
    const created = await fetch(`${base}/posts`, {
      method: 'POST',
      headers: { Authorization: auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ message: 'trending in compose' }),
    });
    const { id } = (await created.json()) as { id: number };
    expect((await fetch(`${base}/posts/${id}/like`, { method: 'POST', headers: { Authorization: auth } })).status).toBe(200);
    const took = await waitUntil(async () => {
      const trending = (await (await fetch(`${base}/monitor/trending`)).json()) as { posts: Array<{ id: number; score: number }> };
      return trending.posts.some((post) => post.id === id && post.score === 1);
    }, 10_000);
    report.push(`a like in trending after ${took} ms`);
  });

  it('serves Mastodon apps: a masto.js bot signs in, posts and reblogs; megalodon reads home and the context', async () => {
    const masto = createRestAPIClient({ url: base });
    const app = await masto.v1.apps.create({ clientName: 'compose bot', redirectUris: 'urn:ietf:wg:oauth:2.0:oob', scopes: 'read write follow' });
    const token = await createOAuthAPIClient({ url: base }).token.create({
      grantType: 'password',
      clientId: app.clientId!,
      clientSecret: app.clientSecret!,
      redirectUri: 'urn:ietf:wg:oauth:2.0:oob',
      username: 'steve',
      password: 'password3',
      scope: 'read write follow',
    });
    const steve = createRestAPIClient({ url: base, accessToken: token.accessToken });
    const status = await steve.v1.statuses.create({ status: 'a status from compose' });
    const reply = await steve.v1.statuses.create({ status: 'and its reply', inReplyToId: status.id });
    expect((await steve.v1.statuses.$select(status.id).favourite()).favouritesCount).toBe(1);
    const chris = (await steve.v1.accounts.lookup({ acct: 'chris' })).id;
    const byChris = await fetch(`${base}/posts`, {
      method: 'POST',
      headers: { Authorization: basicAuth('chris', 'password2'), 'Content-Type': 'application/json' },
      body: JSON.stringify({ message: 'chris writes natively' }),
    });
    const reblog = await steve.v1.statuses.$select(String(((await byChris.json()) as { id: number }).id)).reblog();
    expect(reblog.reblog?.account.id).toBe(chris);
    // Any replica answers: home lists steve's own status and reblog at once, on every one of them
    // (replies are read in their context, as in the native API).
    const mega = generator('mastodon', base, token.accessToken);
    for (let i = 0; i < 6; i++) {
      const home = (await mega.getHomeTimeline({ limit: 10 })).data.map((item) => item.id);
      expect(home.filter((id) => [reblog.id, reply.id, status.id].includes(id))).toEqual([reblog.id, status.id]);
    }
    expect((await mega.getStatusContext(status.id)).data.descendants.map((item) => item.id)).toEqual([reply.id]);
  });

  it('runs its services as a non-root user', async () => {
    const [container] = await timelinesContainers();
    expect(await docker('exec', container, 'id', '-u')).not.toBe('0');
  });

  it('rotates requests over all three replicas', async () => {
    await waitUntil(async () => (await servedBy(9)).size === 3, 30_000);
    const names = await servedBy(9);
    expect(names.size).toBe(3);
    for (const name of names) expect(name).toMatch(/^timelines-\d+$/);
  });

  it('adds new replicas to the rotation within 10 s of scaling to 5, without restarting HAProxy', async () => {
    const haproxy = (await compose('ps', '-q', 'haproxy')).trim();
    const startedAt = await docker('inspect', haproxy, '--format', '{{.State.StartedAt}}');
    await compose('up', '-d', '--no-recreate', '--scale', 'timelines=5');
    const scaled = Date.now();
    const took = await waitUntil(async () => (await servedBy(15)).size === 5, 60_000);
    const afterReady = Date.now() - scaled;
    report.push(`scale 3 -> 5: all five in rotation ${(afterReady / 1000).toFixed(1)} s after compose returned`);
    expect(took).toBeLessThan(10_000);
    expect((await compose('ps', '-q', 'haproxy')).trim()).toBe(haproxy);
    expect(await docker('inspect', haproxy, '--format', '{{.State.StartedAt}}')).toBe(startedAt);
  });

  it('loses no read while scaling down to 2', async () => {
    const tally = await trafficDuring(base, compose('up', '-d', '--no-recreate', '--scale', 'timelines=2'));
    report.push(`scale 5 -> 2: ${tally.reads} reads, ${tally.failed.length} failed`);
    expect(tally.failed).toEqual([]);
    expect(tally.reads).toBeGreaterThan(50);
    await waitUntil(async () => (await servedBy(8)).size === 2, 30_000);
  });

  it('loses no read when one replica is stopped', async () => {
    const [victim] = await timelinesContainers();
    const tally = await trafficDuring(base, docker('stop', victim));
    report.push(`docker stop of one replica: ${tally.reads} reads, ${tally.failed.length} failed`);
    expect(tally.failed).toEqual([]);
    expect(tally.reads).toBeGreaterThan(20);
  });

  it('keeps the databases across down and up, and starts fresh from data/ after down -v', async () => {
    const auth = basicAuth('chris', 'password2');
    const created = await fetch(`${base}/posts`, {
      method: 'POST',
      headers: { Authorization: auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ message: 'survives a restart' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };

    await compose('down', '--timeout', '20');
    await compose('up', '-d', '--scale', 'timelines=2');
    await waitUntil(async () => (await fetch(`${base}/posts/${id}`)).status === 200, 180_000);

    await compose('down', '-v', '--timeout', '20');
    await compose('up', '-d', '--scale', 'timelines=2');
    await waitUntil(async () => (await fetch(`${base}/timelines/public`)).status === 200, 180_000);
    expect((await fetch(`${base}/posts/${id}`)).status).toBe(404);
    const seed = (await (await fetch(`${base}/timelines/public`)).json()) as { posts: Array<{ id: number }> };
    expect(seed.posts.map((post) => post.id)).toEqual([1]);
  });
});
