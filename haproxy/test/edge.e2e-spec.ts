import { execFile, spawn } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { basic, client, Client, collectPages, eventually, freePort, startTestTopology } from '@app/testing';
import { haproxyBinary, nativeBackendsConfig, ROOT, Topology } from '@app/topology';

// Child processes run asynchronously: a synchronous one (Chromium takes ~7 s) stops the event loop longer than
// HAProxy's keep-alive timeout, so fetch's pool would later reuse connections HAProxy has already closed.
const run = promisify(execFile);

interface Tally {
  sent: number;
  failed: Array<{ status: number; detail: string }>;
  acknowledged: number[];
}

/** Keeps `workers` loops sending `request` until `until` resolves; counts every answer that is not a success. */
async function load(workers: number, until: Promise<void>, request: (worker: number) => Promise<Response>, tally: Tally): Promise<void> {
  let done = false;
  void until.then(() => (done = true));
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (!done) {
        tally.sent++;
        try {
          const response = await request(worker);
          const body = await response.text();
          if (response.status >= 400) tally.failed.push({ status: response.status, detail: body.slice(0, 200) });
          else if (response.status === 201) tally.acknowledged.push(JSON.parse(body).id);
        } catch (error) {
          tally.failed.push({ status: 0, detail: (error as Error).message });
        }
      }
    }),
  );
}

/** The native topology exactly as `npm start` runs it: users, three replicas and HAProxy. */
describe('HAProxy in front of three replicas', () => {
  let topology: Topology;
  let stop: () => Promise<void>;
  let logs: string[];
  let api: Client;
  const auth = basic('steve', 'password3');

  beforeAll(async () => {
    ({ topology, stop, logs } = await startTestTopology({ replicas: 3, env: { LOG_LEVEL: 'info' } }));
    api = client(topology.baseUrl);
  }, 60_000);

  afterAll(() => stop?.());

  /** A timelines server's state on HAProxy's stats page (UP, DOWN, MAINT…): column 18 of its CSV. */
  const serverStatus = async (server: string): Promise<string | undefined> => {
    const csv = (await api.get('/haproxy?stats;csv').expect(200)).text;
    return csv
      .split('\n')
      .find((line) => line.startsWith(`timelines,${server},`))
      ?.split(',')[17];
  };

  it('has configurations that haproxy -c accepts, native and compose', async () => {
    const haproxy = haproxyBinary()!;
    const env = { ...process.env, HTTP_PORT: '8080', HAPROXY_METRICS_ADDR: '127.0.0.1:8405' };
    const native = join(topology.varDir, 'haproxy', 'native-check.cfg');
    writeFileSync(native, nativeBackendsConfig(5000, [5100, 5101, 5102, 5103], 5200));
    for (const backends of [native, join(ROOT, 'haproxy/backends.docker.cfg')]) {
      const { stdout: output } = await run(haproxy, ['-c', '-f', join(ROOT, 'haproxy/haproxy.cfg'), '-f', backends], { env });
      expect(output).toMatch(/Configuration file is valid/);
    }
    expect(readFileSync(topology.backendsFile, 'utf8')).toContain('server timelines-3 127.0.0.1:');
  });

  it('has a compose file that docker-compose config accepts, scalable and health-checked', async () => {
    const { stdout: output } = await run('docker-compose', ['-f', join(ROOT, 'docker-compose.yml'), 'config'], {
      env: { ...process.env, HTTP_PORT: '8080', HAPROXY_METRICS_ADDR: '127.0.0.1:8405' },
    });
    const timelines = output.slice(output.indexOf('\n  timelines:'), output.indexOf('\nvolumes:'));
    expect(timelines).not.toContain('container_name');
    expect(timelines).not.toContain('ports:');
    expect(timelines).toContain('timelines-data:/data/timelines');
    expect(timelines).toContain('healthcheck:');
    expect(output).toContain('condition: service_healthy');
    expect(output).toContain('published: 8080');
  });

  it('round-robins requests over every replica', async () => {
    const servedBy: string[] = [];
    for (let i = 0; i < 9; i++) {
      servedBy.push((await api.get('/timelines/public').expect(200)).headers['x-served-by']);
    }
    const counts = servedBy.reduce<Record<string, number>>((acc, name) => ({ ...acc, [name]: (acc[name] ?? 0) + 1 }), {});
    expect(counts).toEqual({ 'timelines-1': 3, 'timelines-2': 3, 'timelines-3': 3 });
    expect((await api.get('/users/steve').expect(200)).headers['x-served-by']).toBe('users-1');
  });

  it('makes X-Request-ID at the edge, keeps a good one, and every service logs it', async () => {
    const made = await api.get('/timelines/public').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[A-Za-z0-9._-]{1,128}$/);
    for (const bad of ['has space', 'x'.repeat(129), 'semi;colon']) {
      const replaced = await api.get('/timelines/public').set('X-Request-ID', bad).expect(200);
      expect(replaced.headers['x-request-id']).not.toBe(bad);
      expect(replaced.headers['x-request-id']).toMatch(/^[A-Za-z0-9._-]{1,128}$/);
    }
    const id = `trace-${Date.now()}`;
    const kept = await api
      .get('/timelines/home')
      .set('X-Request-ID', id)
      .set('Authorization', basic('steve', `uncached-${id}`))
      .expect(401);
    expect(kept.headers['x-request-id']).toBe(id);
    await eventually(() => {
      const mentioning = logs.filter((line) => line.includes(id)).map((line) => line.split('|')[0].trim());
      expect(mentioning).toEqual(expect.arrayContaining(['haproxy', 'users-1', kept.headers['x-served-by']]));
    });
  });

  it('answers for itself in problem+json: unknown paths, and the public read-only stats page', async () => {
    const unknown = await api.get('/elsewhere').expect(404);
    expect(unknown.headers['content-type']).toBe('application/problem+json');
    expect(unknown.headers['x-served-by']).toBe('haproxy');
    expect(unknown.body).toMatchObject({ status: 404, title: 'Not Found' });
    await api.get('/internal/users/steve/following').expect(404);
    const stats = await api.get('/haproxy?stats').expect(200);
    expect(stats.text).toContain('timelines-3');
    await api.post('/haproxy?stats').type('form').send({ s: 'timelines-1', action: 'maint', b: 'timelines' });
    expect(await serverStatus('timelines-1')).toBe('UP');
  });

  it('refuses a malformed request in problem+json, before any replica sees it: header names, URI bytes, fragments', async () => {
    /** Writes `request` as raw bytes (no client would send it) and returns HAProxy's answer. */
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        let answer = '';
        const socket = connect(Number(new URL(topology.baseUrl).port), '127.0.0.1', () => socket.end(Buffer.from(request, 'latin1')));
        socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
        socket.on('end', () => resolve(answer));
        socket.on('error', reject);
      });
    for (const request of [
      'GET /timelines/public HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n',
      'GET /timelines/public HTTP/1.1\r\nHost: x\r\nBad(Header): 1\r\n\r\n',
      'GET /timelines/users/\xe9 HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /timelines/public#top HTTP/1.1\r\nHost: x\r\n\r\n',
    ]) {
      const answer = await raw(request);
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/i);
      expect(answer).toMatch(/\r\nx-served-by: haproxy\r\n/i);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 400, title: 'Bad Request' });
    }
    // Under Mastodon's prefixes the same answer goes out as application/json, with Mastodon's "error".
    const mastodon = await raw('GET /api/v1/timelines/public#top HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(mastodon).toMatch(/^HTTP\/1\.1 400 /);
    expect(mastodon).toMatch(/\r\ncontent-type: application\/json; charset=utf-8\r\n/i);
    expect(JSON.parse(mastodon.slice(mastodon.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: expect.any(String) });
    const fine = await raw('GET /timelines/public?limit=1 HTTP/1.1\r\nHost: x\r\nGood-Header_1.x: 1\r\nConnection: close\r\n\r\n');
    expect(fine).toMatch(/^HTTP\/1\.1 200 /);
    expect(fine).toMatch(/\r\nx-served-by: timelines-\d\r\n/i);
  });

  it('serves the API reference through HAProxy: /openapi.json, and /docs with its assets from this host', async () => {
    const document = await api.get('/openapi.json').expect(200);
    expect(document.headers['x-served-by']).toBe('users-1');
    expect(document.body.openapi).toBe('3.1.0');
    expect(Object.keys(document.body.paths)).toEqual(expect.arrayContaining(['/users', '/posts/{id}', '/timelines/home', '/monitor/trending']));
    const page = await api.get('/docs').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    for (const asset of ['/docs/swagger-ui-bundle.js', '/docs/swagger-ui.css']) await api.get(asset).expect(200);
  });

  it('renders the reference in headless Chromium, listing the routes', async () => {
    const { stdout: dom } = await run(
      'chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        `--user-data-dir=${join(topology.varDir, 'chromium')}`,
        '--virtual-time-budget=10000',
        '--dump-dom',
        `${topology.baseUrl}/docs`,
      ],
      { timeout: 60_000 },
    );
    for (const path of ['/users/{username}/follow', '/posts/{id}/comments', '/timelines/home', '/monitor/dashboard']) {
      expect(dom).toContain(`data-path="${path}"`);
    }
  });

  it('lets a person try routes from /docs in a browser, with Basic and with Bearer credentials', async () => {
    const password = 'docs password 1';
    await api.post('/users').send({ username: 'docsreader', email: 'docsreader@example.com', password }).expect(201);
    const token = (await api.post('/auth/token').set('Authorization', basic('docsreader', password)).expect(200)).body.access_token as string;
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      await page.goto(`${topology.baseUrl}/docs`);
      const scheme = (name: string) => page.locator('.auth-container', { has: page.locator(`h4:has-text("${name}")`) });
      const authorize = async (name: string, fill: () => Promise<void>) => {
        await page.click('button.btn.authorize');
        await fill();
        await scheme(name).locator('button.authorize').click();
        await page.click('.modal-ux button.btn-done');
      };
      /** Try it out, Execute, and the status the page shows. */
      const tryOut = async (path: string) => {
        const operation = page.locator('.opblock-get', { has: page.locator(`[data-path="${path}"]`) });
        await operation.locator('.opblock-summary').first().click();
        // The reference opens with "Try it out" on (tryItOutEnabled); a person who finds it off turns it on.
        const tryItOut = operation.locator('button.try-out__btn');
        if ((await tryItOut.textContent())?.includes('Try it out')) await tryItOut.click();
        await operation.locator('button.execute').click();
        const status = operation.locator('.live-responses-table tbody tr.response td.response-col_status').first();
        await status.waitFor();
        return (await status.textContent())?.trim();
      };
      await authorize('basic', async () => {
        await scheme('basic').locator('input[type=text]').fill('docsreader');
        await scheme('basic').locator('input[type=password]').fill(password);
      });
      expect(await tryOut('/users/me')).toBe('200');
      expect(
        await page
          .locator('.opblock-get', { has: page.locator('[data-path="/users/me"]') })
          .locator('.live-responses-table')
          .textContent(),
      ).toContain('docsreader');
      await authorize('bearer', async () => {
        await scheme('basic').locator('button:has-text("Logout")').click();
        await scheme('bearer').locator('input[type=text]').fill(token);
      });
      expect(await tryOut('/timelines/home')).toBe('200');
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('loses no GET when a replica is killed with SIGKILL mid-stream, and takes it back when it returns', async () => {
    const tally: Tally = { sent: 0, failed: [], acknowledged: [] };
    let finish!: () => void;
    const stream = load(8, new Promise<void>((resolve) => (finish = resolve)), () => fetch(`${topology.baseUrl}/timelines/public?limit=5`), tally);
    try {
      await eventually(() => tally.sent > 200); // killed mid-stream, with requests in flight on every replica
      await topology.signal('timelines-2', 'SIGKILL');
      await eventually(async () => (await serverStatus('timelines-2')) === 'DOWN');
      const sentWhenDown = tally.sent;
      await eventually(() => tally.sent > sentWhenDown + 200);
      finish();
      await stream;
      console.log(`SIGKILL of one replica: ${tally.sent} GETs sent, ${tally.failed.length} failed`);
      expect(tally.failed).toEqual([]);
    } finally {
      finish();
      await stream;
      topology.launch('timelines-2');
      await topology.waitReady('timelines-2');
      await topology.waitForEdge();
    }
    expect(await serverStatus('timelines-2')).toBe('UP');
  }, 60_000);

  it('loses no request and no acknowledged post while every replica restarts in turn with SIGTERM', async () => {
    const tally: Tally = { sent: 0, failed: [], acknowledged: [] };
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const run = load(
      6,
      finished,
      (worker) =>
        worker % 3 === 0
          ? fetch(`${topology.baseUrl}/posts`, {
              method: 'POST',
              headers: { Authorization: auth, 'Content-Type': 'application/json' },
              body: JSON.stringify({ message: `rolling ${worker} ${Date.now()}` }),
            })
          : fetch(`${topology.baseUrl}/timelines/home?limit=10`, { headers: { Authorization: auth } }),
      tally,
    );
    for (const name of ['timelines-1', 'timelines-2', 'timelines-3']) {
      await topology.restart(name);
      await topology.waitForEdge();
    }
    finish();
    await run;
    console.log(`rolling restart: ${tally.sent} requests sent (${tally.acknowledged.length} posts), ${tally.failed.length} failed`);
    expect(tally.failed).toEqual([]);
    expect(tally.acknowledged.length).toBeGreaterThan(20);
    for (const id of tally.acknowledged) await api.get(`/posts/${id}`).expect(200);
  }, 120_000);

  it('applies a write at most once when a replica fails after applying it, and replays only reads', async () => {
    // A stand-in replica in front of timelines-1: it passes health checks through, forwards every other request
    // and, once timelines-1 has answered (the write is committed), drops the connection as a replica killed at
    // that moment would, or answers 503. A second HAProxy, with the same configuration, balances over it and timelines-2.
    let fault: 'close' | '503' = 'close';
    const faulty = createServer((incoming, outgoing) => {
      const upstream = httpRequest(
        { host: '127.0.0.1', port: topology.timelinesPorts[0], method: incoming.method, path: incoming.url, headers: incoming.headers },
        (answer) => {
          if (incoming.url!.startsWith('/health')) {
            outgoing.writeHead(answer.statusCode!, answer.headers);
            answer.pipe(outgoing);
            return;
          }
          answer.resume().on('end', () => {
            if (fault === 'close') incoming.socket.destroy();
            else outgoing.writeHead(503, { 'Content-Type': 'application/problem+json' }).end('{"status":503,"title":"Service Unavailable"}');
          });
        },
      );
      incoming.pipe(upstream);
    });
    const faultyPort = await freePort();
    await new Promise<void>((resolve) => faulty.listen(faultyPort, '127.0.0.1', resolve));
    const [httpPort, metricsPort] = [await freePort(), await freePort()];
    const backends = join(topology.varDir, 'haproxy', 'faulty-backends.cfg');
    writeFileSync(backends, nativeBackendsConfig(topology.usersPort, [faultyPort, topology.timelinesPorts[1]], topology.monitorPort));
    const edge = spawn(haproxyBinary()!, ['-db', '-f', join(ROOT, 'haproxy/haproxy.cfg'), '-f', backends], {
      env: { ...process.env, HTTP_PORT: String(httpPort), HAPROXY_METRICS_ADDR: `127.0.0.1:${metricsPort}` },
      stdio: 'ignore',
    });
    const edgeApi = client(`http://127.0.0.1:${httpPort}`);
    try {
      await eventually(async () => {
        const csv = (await edgeApi.get('/haproxy?stats;csv').expect(200)).text;
        expect(csv.split('\n').filter((line) => /^timelines,timelines-\d,/.test(line) && line.split(',')[17] === 'UP')).toHaveLength(2);
      });
      const reads = await Promise.all(Array.from({ length: 6 }, () => edgeApi.get('/timelines/public?limit=1')));
      expect(reads.map((read) => read.status)).toEqual(Array(6).fill(200));

      for (const mode of ['close', '503'] as const) {
        fault = mode;
        const messages = Array.from({ length: 6 }, (_, i) => `at most once, ${mode} ${i} ${Date.now()}`);
        const statuses: number[] = [];
        for (const message of messages) {
          statuses.push((await edgeApi.post('/posts').set('Authorization', auth).send({ message })).status);
        }
        // round robin: half the writes reached the failing replica, whose failure the client sees
        expect(statuses.filter((status) => status === 201)).toHaveLength(3);
        expect(statuses.filter((status) => status === (mode === 'close' ? 502 : 503))).toHaveLength(3);
        const stored = (await collectPages<{ message: string }>(api, '/timelines/users/steve?limit=100', 'posts')).map((p) => p.message);
        for (const message of messages) expect(stored.filter((text) => text === message)).toHaveLength(1);
      }
    } finally {
      edge.kill('SIGKILL');
      faulty.closeAllConnections();
      faulty.close();
    }
  }, 60_000);

  it('answers 503 problem+json itself when no replica is left', async () => {
    await Promise.all(['timelines-1', 'timelines-2', 'timelines-3'].map((name) => topology.signal(name, 'SIGKILL')));
    const response = await eventually(() => api.get('/timelines/public').expect(503));
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.headers['x-served-by']).toBe('haproxy');
    expect(response.headers['x-request-id']).toBeDefined();
    expect(response.body).toMatchObject({ status: 503, title: 'Service Unavailable' });
  }, 30_000);
});
