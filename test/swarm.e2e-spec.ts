import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, ROOT } from '@app/topology';
import { basicAuth, forgeToken, lostWrites, servedBy as servedByAt, trafficDuring, trustBuildCa, waitUntil } from './docker-traffic';

const run = promisify(execFile);

/**
 * `docker stack deploy -c deploy/stack.yml` for real, on a one-node swarm of the engine
 * DOCKER_HOST names (made here when the engine is in no swarm, and left again at the end):
 * the project's image, every service on the stack's PostgreSQL, the seed data served
 * through HAProxy's host-mode port, timelines
 * scaled 3 -> 5 -> 2 and rolled to a new image under reads and writes. Everything it
 * creates is removed at the end, passed or failed.
 */
describe('docker swarm stack', () => {
  const stack = `mbswarm${process.pid}`;
  const secretName = `${stack}_jwt_secret`;
  const passwordSecretName = `${stack}_postgres_password`;
  const image = `microblog:${stack}`;
  const nextImage = `microblog:${stack}-next`;
  let port: number;
  let base: string;
  let madeTheSwarm = false;
  let nodeId = '';
  const report: string[] = [];

  const docker = async (...args: string[]) =>
    (
      await run('docker', args, {
        cwd: ROOT,
        maxBuffer: 64 * 1024 * 1024,
        env: {
          ...process.env,
          HTTP_PORT: String(port),
          JWT_SECRET_NAME: secretName,
          POSTGRES_PASSWORD_SECRET_NAME: passwordSecretName,
          MICROBLOG_IMAGE: image,
        },
      })
    ).stdout.trim();
  const timelines = `${stack}_timelines`;
  /** The running timelines tasks, as the swarm sees them. */
  const runningTasks = async () =>
    (await docker('service', 'ps', timelines, '--filter', 'desired-state=running', '--format', '{{.CurrentState}}'))
      .split('\n')
      .filter((state) => state.startsWith('Running')).length;

  let token = '';
  const traffic = (until: Promise<unknown>) => trafficDuring(base, until, { readers: 3, writers: 2, authorization: token });

  beforeAll(async () => {
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    if ((await docker('info', '--format', '{{.Swarm.LocalNodeState}}')) !== 'active') {
      await docker('swarm', 'init', '--advertise-addr', '127.0.0.1');
      madeTheSwarm = true;
    }
    nodeId = await docker('info', '--format', '{{.Swarm.NodeID}}');
    await docker('node', 'update', '--label-add', 'microblog.data=true', nodeId);

    trustBuildCa();
    await docker('build', '-q', '-t', image, '.');
    // The "new release" the rolling update moves to: the same code under another image id.
    const context = mkdtempSync(join(tmpdir(), 'swarm-next-'));
    writeFileSync(join(context, 'Dockerfile'), `FROM ${image}\nLABEL org.opencontainers.image.revision=${stack}-next\n`);
    await docker('build', '-q', '-t', nextImage, context);
    rmSync(context, { recursive: true });

    for (const name of [secretName, passwordSecretName]) {
      const secretFile = join(mkdtempSync(join(tmpdir(), 'swarm-secret-')), 'secret');
      writeFileSync(secretFile, randomBytes(32).toString('base64url'), { mode: 0o600 });
      await docker('secret', 'create', name, secretFile);
      rmSync(secretFile);
    }

    const started = Date.now();
    await docker('stack', 'deploy', '--resolve-image', 'never', '-c', 'deploy/stack.yml', stack);
    // Ready when both services answer: a token from users, and the public timeline.
    await waitUntil(async () => {
      const issued = await fetch(`${base}/auth/token`, { method: 'POST', headers: { Authorization: basicAuth('steve', 'password3') } });
      if (issued.status !== 200) return false;
      token = `Bearer ${((await issued.json()) as { access_token: string }).access_token}`;
      return (await fetch(`${base}/timelines/public`)).status === 200;
    }, 240_000);
    report.push(`from stack deploy to the first good answers of users and timelines: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  afterAll(async () => {
    const quietly = (promise: Promise<unknown>) => promise.catch((error: Error) => console.error(error.message));
    await quietly(docker('stack', 'rm', stack));
    // stack rm returns before the containers are gone; volumes and the network go after them.
    // The init job's finished container stays behind (Docker 20.10), so what is left is removed.
    const containers = (all: boolean) => docker('ps', all ? '-aq' : '-q', '--filter', `label=com.docker.stack.namespace=${stack}`);
    await quietly(waitUntil(async () => (await containers(false)) === '', 120_000));
    const left = (await containers(true)).split('\n').filter(Boolean);
    if (left.length) await quietly(docker('rm', '-f', ...left));
    await quietly(waitUntil(async () => (await docker('network', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${stack}`)) === '', 60_000));
    const volumes = (await docker('volume', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${stack}`)).split('\n').filter(Boolean);
    if (volumes.length) await quietly(docker('volume', 'rm', ...volumes));
    await quietly(docker('secret', 'rm', secretName, passwordSecretName));
    await quietly(docker('image', 'rm', nextImage, image));
    if (madeTheSwarm) await quietly(docker('swarm', 'leave', '--force'));
    else if (nodeId) await quietly(docker('node', 'update', '--label-rm', 'microblog.data', nodeId));
    console.log(`swarm suite:\n  ${report.join('\n  ')}`);
  });

  it('serves the seed data through HAProxy on its host-mode port', async () => {
    const response = await fetch(`${base}/timelines/users/User1`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { posts: Array<{ message: string }> };
    expect(body.posts[0].message).toBe('testtttt');
    expect((await fetch(`${base}/users/me`, { headers: { Authorization: basicAuth('steve', 'password3') } })).status).toBe(200);
  });

  it('keeps every service’s data in the PostgreSQL service, its password only in a Docker secret', async () => {
    const container = (await docker('ps', '-q', '--filter', `label=com.docker.swarm.service.name=${stack}_postgres`)).split('\n')[0];
    const count = async (database: string, table: string) =>
      Number(await docker('exec', container, 'psql', '-U', 'microblog', '-d', database, '-tAc', `SELECT COUNT(*) FROM ${table}`));
    expect(await count('users', 'users')).toBeGreaterThanOrEqual(2);
    expect(await count('timelines', 'posts')).toBeGreaterThanOrEqual(1);
    await waitUntil(async () => (await count('monitor', 'users')) >= 2, 10_000);
    for (const service of ['users', 'timelines', 'monitor']) {
      const env = await docker('service', 'inspect', `${stack}_${service}`, '--format', '{{json .Spec.TaskTemplate.ContainerSpec.Env}}');
      expect(env).toContain(`DATABASE_URL=postgres://microblog@postgres:5432/${service}`);
      expect(env).toContain('DATABASE_PASSWORD_FILE=/run/secrets/postgres-password');
    }
  });

  it('signs tokens with the Docker secret: users’ tokens work in timelines, tokens signed with published secrets do not', async () => {
    const posted = await fetch(`${base}/posts`, {
      method: 'POST',
      headers: { Authorization: token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ message: 'token from users, accepted by timelines' }),
    });
    expect(posted.status).toBe(201);
    for (const published of ['compose-development-secret-change-me', 'development-only-secret-change-me', '']) {
      const response = await fetch(`${base}/posts`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${forgeToken(published, { sub: '2', username: 'steve' })}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ message: 'forged' }),
      });
      expect(response.status).toBe(401);
    }
  });

  it('finds the three replicas through the swarm’s DNS', async () => {
    await waitUntil(async () => (await servedByAt(base, 9)).size === 3, 60_000);
    const names = await servedByAt(base, 9);
    expect(names.size).toBe(3);
    for (const name of names) expect(name).toMatch(/^timelines-\d+$/);
  });

  /**
   * Runs `change` under reads and writes, then checks what every change must keep: no failed
   * request, writes acknowledged and all readable afterwards, `replicas` tasks running and
   * all of them in HAProxy's rotation.
   */
  async function underTraffic(label: string, change: Promise<unknown>, replicas: number): Promise<void> {
    const started = Date.now();
    const tally = await traffic(change);
    report.push(`${label}: ${((Date.now() - started) / 1000).toFixed(1)} s, ${tally.reads} reads, ${tally.writes} writes, ${tally.failed.length} failed`);
    expect(tally.failed).toEqual([]);
    expect(tally.acknowledged.length).toBeGreaterThan(10);
    expect(await runningTasks()).toBe(replicas);
    await waitUntil(async () => (await servedByAt(base, replicas * 3)).size === replicas, 60_000);
    expect(await lostWrites(base, tally.acknowledged)).toEqual([]);
  }

  it('scales timelines 3 -> 5 under reads and writes, with no failed request, and serves from all five', async () => {
    await underTraffic('scale 3 -> 5', docker('service', 'scale', '--detach=false', `${timelines}=5`), 5);
  });

  it('scales timelines 5 -> 2 under reads and writes, with no failed request and no lost write', async () => {
    await underTraffic('scale 5 -> 2', docker('service', 'scale', '--detach=false', `${timelines}=2`), 2);
  });

  it('rolls timelines to a new image under reads and writes, with no failed request and no lost write', async () => {
    await underTraffic('rolling update (2 replicas)', docker('service', 'update', '--detach=false', '--image', nextImage, timelines), 2);
    expect(await docker('service', 'inspect', timelines, '--format', '{{.Spec.TaskTemplate.ContainerSpec.Image}}')).toBe(nextImage);
  });
});
