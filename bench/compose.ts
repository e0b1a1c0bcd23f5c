/**
 * `npm run bench:compose`: the same scenarios as `npm run bench` against the system as compose
 * runs it (`docker-compose up --scale timelines=3`: the project's image, HAProxy and Redis in
 * containers, the published port through Docker's proxy), on the same Reed98 data, beside the
 * same bare floor run on the host and measured between the scenarios. Writes
 * docs/benchmarks-compose.md. Needs a Docker engine with the base images (on a machine that
 * cannot pull them: `eval "$(sudo scripts/docker-standins lts)"` first).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { freePort, ROOT } from '@app/topology';
import { generateReed } from './dataset';
import { Floors, startFloors } from './floors';
import {
  CONNECTIONS,
  drive,
  FloorSeries,
  initDb,
  isCaughtUp,
  markdownTable,
  MASTODON_PAGES,
  mixedTailTarget,
  NATIVE_SCENARIOS,
  ratioTarget,
  memoryTarget,
  OUT,
  peakMemory,
  SECONDS,
  Target,
  tokensFor,
  WARM_UP_SECONDS,
  warmCredentials,
  warmUp,
  writeUsersLua,
} from './load';
import { ReplicaMemory } from './replica-memory';

const run = promisify(execFile);
const PROJECT = 'microblog-bench';
const REPLICAS = 3;

let floors: Floors | undefined;
let httpPort = 0;
let up = false;

async function compose(...args: string[]): Promise<string> {
  const { stdout } = await run('docker-compose', ['-p', PROJECT, '-f', join(ROOT, 'docker-compose.yml'), ...args], {
    cwd: ROOT,
    env: { ...process.env, HTTP_PORT: String(httpPort), JWT_SECRET: '' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

async function docker(...args: string[]): Promise<string> {
  return (await run('docker', args, { maxBuffer: 16 * 1024 * 1024 })).stdout.trim();
}

async function containers(service: string): Promise<string[]> {
  return (await compose('ps', '-q', service)).split('\n').filter(Boolean);
}

/** A service container's /health/ready, asked from inside it (the services' ports are not published). */
async function readiness(container: string): Promise<unknown> {
  const script = "fetch('http://127.0.0.1:'+process.env.PORT+'/health/ready').then(r=>r.text()).then(t=>process.stdout.write(t))";
  return JSON.parse(await docker('exec', container, 'node', '-e', script));
}

/** Waits until every service has published its imported rows' events and applied the others'. */
async function caughtUp(): Promise<void> {
  const all = [...(await containers('users')), ...(await containers('timelines')), ...(await containers('monitor'))];
  for (let i = 0; i < 600; i++) {
    const states = await Promise.all(all.map(async (container) => isCaughtUp(await readiness(container).catch(() => ({})))));
    if (states.every(Boolean)) return;
    await sleep(1000);
  }
  throw new Error('the consumers did not catch up within 10 minutes');
}

/**
 * Creates compose's volumes for the databases (labelled as compose labels its own, so `up`
 * takes them as the project's) and copies the imported databases in; init-db --if-missing
 * then keeps them.
 */
async function seedVolumes(dataDir: string): Promise<void> {
  for (const [volume, file] of [
    ['users-data', 'users.db'],
    ['timelines-data', 'timelines.db'],
  ]) {
    const name = `${PROJECT}_${volume}`;
    await docker('volume', 'create', '--label', `com.docker.compose.project=${PROJECT}`, '--label', `com.docker.compose.volume=${volume}`, name);
    const copy = `cp /source/${file} /target/${file} && chown -R node:node /target`;
    await docker('run', '--rm', '--user', 'root', '-v', `${name}:/target`, '-v', `${dataDir}:/source:ro`, 'microblog:latest', 'sh', '-c', copy);
  }
}

async function main(): Promise<void> {
  await docker('info', '--format', '{{.ServerVersion}}').catch(() => {
    throw new Error('no Docker engine answers: start one (eval "$(sudo scripts/docker-standins lts)") and run again');
  });
  mkdirSync(OUT, { recursive: true });
  httpPort = await freePort();
  const base = `http://127.0.0.1:${httpPort}`;

  console.error('generating and importing the Reed98 data set (10 posts per user)');
  const csvDir = join(OUT, 'reed-csv');
  const dataDir = join(OUT, 'compose-data');
  const reed = await generateReed(join(ROOT, 'bench/datasets/socfb-Reed98.edges'), csvDir, 10);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  initDb(['--only', 'users', '--data', csvDir, '--users-db', join(dataDir, 'users.db')]);
  initDb(['--only', 'timelines', '--data', csvDir, '--timelines-db', join(dataDir, 'timelines.db')]);

  console.error('floors: node:http + better-sqlite3, three copies on the host');
  const floorDir = join(OUT, 'floors');
  rmSync(floorDir, { recursive: true, force: true });
  mkdirSync(floorDir, { recursive: true });
  copyFileSync(join(dataDir, 'timelines.db'), join(floorDir, 'timelines.db'));
  writeUsersLua([]);
  floors = await startFloors(floorDir, join(floorDir, 'timelines.db'));
  const series = new FloorSeries(floors.bareUrl);
  await series.first();

  console.error(`compose: building the image, then up with ${REPLICAS} timelines replicas`);
  await compose('down', '-v', '--remove-orphans').catch(() => undefined);
  await compose('build');
  await seedVolumes(dataDir);
  up = true;
  await compose('up', '-d', '--scale', `timelines=${REPLICAS}`);
  for (
    let i = 0;
    i < 180 &&
    !(await fetch(`${base}/timelines/public`)
      .then((r) => r.ok)
      .catch(() => false));
    i++
  )
    await sleep(1000);
  await caughtUp();
  writeUsersLua(await tokensFor(base, 200));
  await warmCredentials(base);
  await warmUp(base);
  const replicas = await containers('timelines');
  const pids = Object.fromEntries(
    await Promise.all(replicas.map(async (id, i) => [`timelines-${i + 1}`, Number(await docker('inspect', '-f', '{{.State.Pid}}', id))])),
  );
  const memory = (series.memory = new ReplicaMemory(pids));
  await series.measureFloor();
  // Where compose's time goes: two pages also straight to HAProxy's container address, past
  // the userland proxy Docker puts in front of a published port.
  const [haproxy] = await containers('haproxy');
  const address = await docker('inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}', haproxy);
  const direct = `http://${address.split(' ')[0]}:80`;
  type Scenario = [name: string, scenario: string, connections: number, url?: string];
  const scenarios: Scenario[] = [
    ...NATIVE_SCENARIOS.map(([name, scenario]): Scenario => [name, scenario, CONNECTIONS]),
    [`mixed workload, ${CONNECTIONS} connections`, 'mixed', CONNECTIONS],
    ['mixed workload, 16 connections', 'mixed', 16],
    ["public timeline, to HAProxy's container address (no Docker proxy)", 'public', CONNECTIONS, direct],
    ["home timeline, Bearer, to HAProxy's container address (no Docker proxy)", 'home-bearer', CONNECTIONS, direct],
    ...MASTODON_PAGES.map(([name, scenario]): Scenario => [name, scenario, CONNECTIONS]),
    ['Mastodon mixed workload, 16 connections', 'mastodon-mixed', 16],
  ];
  for (const [name, scenario, connections, url = base] of scenarios) {
    console.error(`  ${name}`);
    await series.beside(name, () => drive(url, scenario, connections));
  }
  await memory.stop();
  series.memory = undefined;
  const engine = await docker('version', '--format', '{{.Server.Version}}');
  const nodeInImage = await docker('run', '--rm', 'microblog:latest', 'node', '--version');
  await compose('down', '-v', '--remove-orphans', '--timeout', '20');
  up = false;
  await floors.stop();
  floors = undefined;
  series.finish();

  const { rows } = series;
  const errors = rows.reduce((sum, r) => sum + r.errors, 0);
  const targets: Target[] = [
    ratioTarget(series, 'public timeline', 0.7),
    ratioTarget(series, 'home timeline, Basic', 0.5),
    ratioTarget(series, 'home timeline, Bearer', 0.5),
    ratioTarget(series, 'compose post', 0.3),
    mixedTailTarget(rows, 16, 30),
    mixedTailTarget(rows, CONNECTIONS, 60),
    memoryTarget('native', peakMemory(rows, false)),
    memoryTarget("Mastodon's", peakMemory(rows, true)),
    ['no errors in any scenario', String(errors), errors === 0],
  ];
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Docker ${engine}, Node ${nodeInImage} in the image`;
  const report = [
    '# Benchmarks with compose',
    '',
    `A real run of \`npm run bench:compose\` (${new Date().toISOString()}): \`docker-compose up --scale timelines=${REPLICAS}\` from the project's docker-compose.yml and image (users, ${REPLICAS} timelines replicas, the monitor, Redis and HAProxy in containers, each with the image's settings), on the Reed98 data of \`npm run bench\` (${reed.users} users, ${reed.follows.toLocaleString('en')} follows, ${reed.posts.toLocaleString('en')} posts) copied into its volumes, driven through its published port (Docker's proxy included) by wrk on the host, ${SECONDS} s per scenario after a 2 s warm-up (and ${WARM_UP_SECONDS} s of the mixed workload before the first), ${CONNECTIONS} connections unless a row says otherwise. The floor is \`npm run bench\`'s bare floor (node:http and better-sqlite3 behind a round-robin HAProxy), run on the host beside the containers and measured between every two scenarios; each row is compared with the better of the floor runs just before and after it. Memory: each replica container's node process, read from /proc on the host.`,
    '',
    `Machine: ${machine}.`,
    '',
    markdownTable(rows),
    '',
    '## Targets (those of `npm run bench`, for the same system under compose)',
    '',
    '| target | measured | met |',
    '|---|---|---|',
    ...targets.map(([target, measured, met]) => `| ${target} | ${measured} | ${met ? 'yes' : '**no**'} |`),
    '',
  ].join('\n');
  const reportPath = join(ROOT, 'docs', 'benchmarks-compose.md');
  const existing = existsSync(reportPath) ? readFileSync(reportPath, 'utf8') : '';
  writeFileSync(reportPath, report + (existing.includes('\n## Notes') ? existing.slice(existing.indexOf('\n## Notes')) : ''));
  console.log(`\n${markdownTable(rows)}\n`);
  for (const [target, measured, met] of targets) console.log(`${met ? 'met ' : 'MISS'}  ${target}: ${measured}`);
  console.log('\nwritten to docs/benchmarks-compose.md');
}

main().catch(async (error: unknown) => {
  console.error(`bench:compose failed: ${(error as Error).stack ?? error}`);
  await floors?.stop();
  if (up) await compose('down', '-v', '--remove-orphans', '--timeout', '20').catch(() => undefined);
  process.exit(1);
});
