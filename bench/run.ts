/**
 * `npm run bench`: how fast the system is as users run it, against floors measured in the same run.
 *
 *   npm run bench                      # Reed98 graph, ~10 posts per user
 *   npm run bench -- --large           # the same graph with a million posts
 *   npm run bench -- --store postgres  # the services on a throwaway PostgreSQL cluster
 *   BENCH_SECONDS=20 BENCH_CONNECTIONS=64 npm run bench
 *
 * The system is `npm start`'s (bench/system.ts: its own entry point, its log lines written by
 * each process to its output, a file here), driven with wrk (C, a fraction of a core; its CPU
 * share is reported) and one Lua script (bench/wrk/scenario.lua) through its HAProxy. Two
 * floors run beside it (bench/floors.ts): the contract's public page by bare node:http and
 * better-sqlite3 (bench/floor-server.ts), three copies, behind an HAProxy that only
 * round-robins (bare), and the same three behind the system's haproxy.cfg (edge). The bare
 * floor is measured between every two scenarios (each scenario is compared with the bare runs
 * just before and after it), and once with twice the connections, to show it is the server's
 * limit and not the load generator's. The table is printed and written, with a chart, to
 * docs/benchmarks.md (docs/benchmarks-postgres.md with --store postgres: the same scenarios
 * against the same floors, the in-process SQLite measurements left out). Scratch files live
 * in var/bench/.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase, SqliteStore } from '@app/database';
import { TIMELINES_MIGRATIONS } from '../apps/timelines/src/database/timelines.migrations';
import { SqlitePostsRepository } from '../apps/timelines/src/posts/sqlite-posts.repository';
import { fullTableScans } from '../apps/timelines/src/posts/query-plans';
import { freePort, haproxyBinary, PostgresCluster, ROOT } from '@app/topology';
import { FLOOR_PAGE_SQL } from './floor-page';
import { Floors, startFloors } from './floors';
import {
  CONNECTIONS,
  drive,
  initDb,
  isCaughtUp,
  memoryTarget,
  peakMemory,
  markdownTable,
  MASTODON_PAGES,
  mixedTailTarget,
  NATIVE_SCENARIOS,
  ratioTarget,
  OUT,
  PEOPLE,
  Row,
  FloorSeries,
  SECONDS,
  Target,
  tokensFor,
  WARM_UP_SECONDS,
  warmCredentials,
  warmUp,
  wrkBinary,
  WrkResult,
  writeUsersLua,
} from './load';
import { ReplicaMemory } from './replica-memory';
import { StartedSystem } from './system';
import { AUTHORS, FOLLOWED, generateGrowthPosts, generateReed, growthAuthor } from './dataset';
import { renderChart } from './chart';
import { percentile, prepareProbes, Visibility, visibilityDuring } from './follow-visibility';

const LARGE = process.argv.includes('--large');
const storeAt = process.argv.indexOf('--store');
const STORE = storeAt === -1 ? 'sqlite' : process.argv[storeAt + 1];
if (STORE !== 'sqlite' && STORE !== 'postgres') throw new Error(`--store must be sqlite or postgres, not "${STORE}"`);
const POSTGRES = STORE === 'postgres';
/** The large run keeps its own report, so docs/benchmarks.md always holds the default run. */
const reportName = `benchmarks${LARGE ? '-large' : ''}${POSTGRES ? '-postgres' : ''}`;
/** Every system started and not yet stopped, and the floors: a failed run stops them before it exits. */
const running = new Set<StartedSystem>();
let floors: Floors | undefined;

/** The throwaway cluster of --store postgres, stopped however the run ends. */
let postgres: PostgresCluster | undefined;

/** The services' PostgreSQL databases with --store postgres. */
interface Databases {
  users: string;
  timelines: string;
  monitor: string;
}

/** npm start on `varDir`'s databases, its output in var/bench/<name>.log; resolves once every import's events are applied. */
async function startSystem(name: string, varDir: string, databases?: Databases, env: NodeJS.ProcessEnv = {}): Promise<StartedSystem> {
  const system = await StartedSystem.start({
    varDir,
    logFile: join(OUT, `${name}.log`),
    env: {
      ...(databases ? { USERS_DATABASE_URL: databases.users, TIMELINES_DATABASE_URL: databases.timelines, MONITOR_DATABASE_URL: databases.monitor } : {}),
      ...env,
    },
  });
  running.add(system);
  await caughtUp(system.servicePorts);
  return system;
}

async function stopSystem(system: StartedSystem): Promise<void> {
  await system.stop();
  running.delete(system);
}

/**
 * Waits until every imported row's event is published (the outboxes' backlogs are empty) and
 * every consumer has applied them: nothing is measured during a catch-up. A consumer that has
 * read to the end of its stream counts as caught up even while a relay still publishes, so
 * the backlogs are checked too (a million-post outbox takes a while to publish).
 */
async function caughtUp(ports: number[]): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const states = await Promise.all(
      ports.map(async (port) => {
        return isCaughtUp(await (await fetch(`http://127.0.0.1:${port}/health/ready`)).json());
      }),
    );
    if (states.every(Boolean)) return;
    await sleep(500);
  }
  throw new Error('the consumers did not catch up within 5 minutes');
}

function postgresVersion(): string {
  return execFileSync(join(PostgresCluster.binaries(), 'postgres'), ['--version'], { encoding: 'utf8' }).trim();
}

/** Mastodon's timelines against the native routes of the same run, and its mixed workload's tail. */
function mastodonTargets(rows: Row[]): Target[] {
  const rps = (name: string) => rows.find((r) => r.scenario === name)?.rps ?? 0;
  const publicRatio = rps('Mastodon public timeline') / rps('public timeline');
  const homeRatio = rps('Mastodon home timeline, OAuth token') / rps('home timeline, Bearer');
  const mixed = rows.find((r) => r.scenario === 'Mastodon mixed workload, 16 connections');
  return [
    ['Mastodon public timeline ≥ 0.8 × the native public timeline', `${publicRatio.toFixed(2)} ×`, publicRatio >= 0.8],
    ['Mastodon home timeline (OAuth token) ≥ 0.8 × the native home timeline (Bearer)', `${homeRatio.toFixed(2)} ×`, homeRatio >= 0.8],
    ['Mastodon mixed workload p99 < 50 ms at 16 connections', `${mixed?.p99 ?? '–'} ms`, mixed !== undefined && mixed.p99 < 50],
  ];
}

/** What a bench user acts with: the native JWT, and for Mastodon's routes an app's OAuth token and the account id. */
/** Home-timeline query time in-process, for a reader following 1,000 of 2,000 authors, on each database (timed together). */
function homeQueryTimes(dbPaths: Record<string, string>): SqliteGrowth['growth'] {
  const authors = ['reader', ...Array.from({ length: FOLLOWED }, (_, i) => growthAuthor(i))];
  const opened = Object.entries(dbPaths).map(([label, path]) => {
    const db = openDatabase(path, TIMELINES_MIGRATIONS);
    const middle = db.prepare('SELECT created_at, id FROM posts ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM posts)').get() as {
      created_at: number;
      id: number;
    };
    return {
      label,
      db,
      before: [middle.created_at, middle.id] as [number, number],
      posts: new SqlitePostsRepository(new SqliteStore(db, { rememberedRows: 0 })),
    };
  });
  const pages = (deep: boolean) =>
    mediansMs(Object.fromEntries(opened.map(({ label, posts, before }) => [label, () => posts.homeTimeline(authors, deep ? before : null, 21)])), 1000);
  const first = pages(false);
  const deep = pages(true);
  for (const { db } of opened) db.close();
  return Object.fromEntries(opened.map(({ label }) => [label, { firstPageMs: first[label], deepPageMs: deep[label] }]));
}

function timelinePlans(dbPath: string): string[] {
  const db = openDatabase(dbPath, TIMELINES_MIGRATIONS);
  const scans = fullTableScans(db);
  db.close();
  return scans;
}

/**
 * The median time in ms of each work, after 20 runs of each to warm up. The works take turns
 * run by run, so a slow moment of the machine falls on all of them alike: timed one after the
 * other (200 runs of the home query, about 80 ms each), the same two databases gave 1.10 and
 * 1.67 for 1M against 10k in two runs of the same code.
 */
function mediansMs<K extends string>(works: Record<K, () => unknown>, runs: number): Record<K, number> {
  const entries = Object.entries(works) as Array<[K, () => unknown]>;
  const samples = entries.map(() => [] as number[]);
  for (let i = -20; i < runs; i++) {
    entries.forEach(([, work], w) => {
      const started = performance.now();
      work();
      if (i >= 0) samples[w].push(performance.now() - started);
    });
  }
  return Object.fromEntries(entries.map(([key], w) => [key, samples[w].sort((a, b) => a - b)[Math.floor(runs / 2)]])) as Record<K, number>;
}

/** Reading a post with 100,000 likes against one with none, in-process: the stored counter makes them equal. */
function popularPostTimes(dbPath: string): { popularMs: number; plainMs: number } {
  const db = openDatabase(dbPath, TIMELINES_MIGRATIONS);
  const posts = new SqlitePostsRepository(new SqliteStore(db, { rememberedRows: 0 }));
  const [popular, plain] = db.prepare('SELECT id FROM posts WHERE in_reply_to IS NULL ORDER BY id LIMIT 2').pluck().all() as number[];
  const insert = db.prepare("INSERT OR IGNORE INTO likes (post_id, username, created_at) VALUES (?, 'fan_' || ?, 0)");
  db.transaction(() => {
    for (let i = 0; i < 100_000; i++) insert.run(popular, i);
    db.prepare('UPDATE posts SET likes = (SELECT COUNT(*) FROM likes WHERE post_id = ?) WHERE id = ?').run(popular, popular);
  })();
  const result = mediansMs({ popularMs: () => posts.findById(popular), plainMs: () => posts.findById(plain) }, 2000);
  db.close();
  return result;
}

/** The public page's query in-process, median µs: the floor's SQL, and the system's repository as it serves (remembering) and without. */
function publicQueryTimes(dbPath: string): { floorUs: number; rememberedUs: number; queriedUs: number } {
  const db = openDatabase(dbPath, TIMELINES_MIGRATIONS);
  const floorPage = db.prepare(FLOOR_PAGE_SQL);
  const remembering = new SqlitePostsRepository(new SqliteStore(db));
  const querying = new SqlitePostsRepository(new SqliteStore(db, { rememberedRows: 0 }));
  const ms = mediansMs(
    { floor: () => floorPage.all(21), remembered: () => remembering.publicTimeline(null, 21), queried: () => querying.publicTimeline(null, 21) },
    2000,
  );
  db.close();
  return { floorUs: ms.floor * 1000, rememberedUs: ms.remembered * 1000, queriedUs: ms.queried * 1000 };
}

/**
 * The machine's time per public page, from throughput: every process is CPU-bound on the
 * machine's cores, so cores / (requests/s) is the CPU time one request takes, all processes
 * together. Each run is taken as its ratio to the bare floor beside it (the machine's speed
 * moves within a run), priced at the bare floor's median; each layer is the difference
 * between two runs that differ by that layer only.
 */
function timeBreakdown(rows: Row[], bareRuns: WrkResult[], query: ReturnType<typeof publicQueryTimes> | null): string {
  const bare = (cpus().length * 1e6) / bareRuns.map((r) => r.rps).sort((a, b) => a - b)[Math.floor(bareRuns.length / 2)];
  /** At the bare floor's median, the mean ratio of the rows `named` picks. */
  const priced = (named: (scenario: string) => boolean) => {
    const found = rows.filter((r) => named(r.scenario) && r.floorRps).map((r) => r.rps / r.floorRps!);
    return bare / (found.reduce((sum, ratio) => sum + ratio, 0) / found.length);
  };
  const edge = priced((scenario) => scenario.startsWith('floor, edge:'));
  const logsOn = priced((scenario) => scenario === 'public timeline');
  const logsOff = priced((scenario) => scenario === 'public timeline, request logs off');
  const line = (layer: string, us: number, how: string) => `| ${layer} | ${us.toFixed(0)} µs | ${((us / logsOn) * 100).toFixed(0)}% | ${how} |`;
  // The system answers the public page from the page it remembers between writes; the floor
  // runs its query for every request. What that saves is shown apart, so the framework's row
  // is what Fastify, Nest and the service add, not that minus the query it does not repeat.
  const saved = query ? query.floorUs - query.rememberedUs : 0;
  return [
    `CPU time per request, all processes together (${cpus().length} cores × 1 s / requests per second, at the bare floor's median and each row's ratio to the bare floor beside it):`,
    '',
    "| layer | per request | of the system's | measured as |",
    '|---|---:|---:|---|',
    line('bare floor: HAProxy round-robin, node:http, the query', bare, 'the bare floor'),
    line("edge: the system's HAProxy rules, request ids, access log, checks", edge - bare, 'edge floor − bare floor'),
    ...(query ? [line('the query, answered from the remembered page instead', -saved, "in-process: remembered page − the floor's query")] : []),
    line(
      "framework and service: Fastify, Nest, the service's rules and views",
      logsOff - edge + saved,
      'public timeline with request logs off − edge floor, less the query saved',
    ),
    line("logs: the services' request lines", logsOn - logsOff, 'public timeline − the same with request logs off'),
    line('the system', logsOn, 'public timeline'),
    '',
    query
      ? `The query itself, in-process (median of 2,000): the floor's SQL ${query.floorUs.toFixed(1)} µs; the system's repository ${query.queriedUs.toFixed(1)} µs computing the page, ${query.rememberedUs.toFixed(1)} µs answering from the page it remembers while the database has not changed (what it does between writes).`
      : "The in-process query times are the SQLite run's.",
  ].join('\n');
}

interface SqliteGrowth {
  growth: Record<string, { firstPageMs: number; deepPageMs: number }>;
  popular: { popularMs: number; plainMs: number };
  millionImportSeconds: number;
  planScans: string[];
  millionDb: string;
}

/** Growth: a reader following 1,000 of 2,000 authors, at 10k and at 1M posts, in-process on SQLite files. */
async function sqliteGrowth(): Promise<SqliteGrowth> {
  console.error('growth: home timeline at 10k and 1M posts; import of a million posts');
  const dbPaths: Record<string, string> = {};
  let millionImportSeconds = 0;
  let planScans: string[] = [];
  for (const [label, count] of [
    ['10k', 10_000],
    ['1M', 1_000_000],
  ] as const) {
    const dir = join(OUT, `growth-${label}`);
    if (!existsSync(join(dir, 'posts.csv'))) await generateGrowthPosts(dir, count);
    const dbPath = join(dir, 'timelines.db');
    const seconds = initDb(['--only', 'timelines', '--posts', join(dir, 'posts.csv'), '--timelines-db', dbPath]);
    if (count === 1_000_000) {
      millionImportSeconds = seconds;
      planScans = timelinePlans(dbPath);
    }
    dbPaths[label] = dbPath;
  }
  const growth = homeQueryTimes(dbPaths);
  const popular = popularPostTimes(join(OUT, 'growth-10k', 'timelines.db'));
  return { growth, popular, millionImportSeconds, planScans, millionDb: join(OUT, 'growth-1M', 'timelines.db') };
}

function millionComposeTarget(ratio: number): Target {
  return ['compose post, 1M posts ≥ 0.25 × floor', ratio.toFixed(2), ratio >= 0.25];
}

function growthTargets({ growth, popular, millionImportSeconds }: SqliteGrowth): Target[] {
  const growthRatio = growth['1M'].firstPageMs / growth['10k'].firstPageMs;
  const popularRatio = popular.popularMs / popular.plainMs;
  return [
    [
      'home at 1M ≤ 1.5 × home at 10k',
      `${growthRatio.toFixed(2)} (${growth['1M'].firstPageMs.toFixed(2)} / ${growth['10k'].firstPageMs.toFixed(2)} ms)`,
      growthRatio <= 1.5,
    ],
    [
      'a post with 100,000 likes reads as fast as one with none (≤ 1.5 ×)',
      `${popularRatio.toFixed(2)} (${(popular.popularMs * 1000).toFixed(1)} / ${(popular.plainMs * 1000).toFixed(1)} µs)`,
      popularRatio <= 1.5,
    ],
    ['a million posts imported < 15 s', `${millionImportSeconds.toFixed(1)} s`, millionImportSeconds < 15],
  ];
}

function planTarget(planScans: string[]): Target {
  return ['no timeline query scans the posts table', planScans.length === 0 ? 'none' : planScans.join('; '), planScans.length === 0];
}

async function main(): Promise<void> {
  if (!haproxyBinary()) throw new Error('haproxy is not installed (sudo apt-get install -y haproxy)');
  wrkBinary();
  mkdirSync(OUT, { recursive: true });
  const flags = [...(LARGE ? ['--large'] : []), ...(POSTGRES ? ['--store', 'postgres'] : [])];
  const command = `npm run bench${flags.length > 0 ? ` -- ${flags.join(' ')}` : ''}`;
  const postsPerUser = LARGE ? Math.ceil(1_000_000 / PEOPLE) : 10;

  // The data set: the real graph, generated into CSV and imported with the project's own init command.
  const csvDir = join(OUT, LARGE ? 'reed-large-csv' : 'reed-csv');
  const varDir = join(OUT, LARGE ? 'reed-large-var' : 'reed-var');
  console.error(`generating the Reed98 data set (${postsPerUser} posts per user)`);
  const reed = await generateReed(join(ROOT, 'bench/datasets/socfb-Reed98.edges'), csvDir, postsPerUser);
  // Both databases anew every run, with the events of their rows in the outboxes, and no
  // Redis data or monitor database left from another run.
  rmSync(join(varDir, 'db'), { recursive: true, force: true });
  rmSync(join(varDir, 'redis'), { recursive: true, force: true });
  console.error('importing users (every password is hashed with scrypt)');
  initDb(['--only', 'users', '--data', csvDir, '--users-db', join(varDir, 'db', 'users.db')]);
  let reedImportSeconds = initDb(['--only', 'timelines', '--data', csvDir, '--timelines-db', join(varDir, 'db', 'timelines.db')]);

  // With --store postgres the services run on a throwaway cluster (the floor keeps its SQLite file).
  let databases: Databases | undefined;
  if (POSTGRES) {
    postgres = new PostgresCluster(await freePort());
    await postgres.start({ max_connections: '200', shared_buffers: '256MB' });
    for (const name of ['users', 'timelines', 'monitor'])
      execFileSync(join(PostgresCluster.binaries(), 'createdb'), ['-h', '127.0.0.1', '-p', String(postgres.port), '-U', 'postgres', name]);
    databases = { users: postgres.urlOf('users'), timelines: postgres.urlOf('timelines'), monitor: postgres.urlOf('monitor') };
    console.error('importing into PostgreSQL');
    initDb(['--only', 'users', '--data', csvDir, '--users-url', databases.users]);
    reedImportSeconds = initDb(['--only', 'timelines', '--data', csvDir, '--timelines-url', databases.timelines]);
  }

  // The in-process SQLite measurements are the SQLite run's alone.
  const sqlite = POSTGRES ? null : await sqliteGrowth();

  console.error("floors: node:http + better-sqlite3, three copies behind a bare HAProxy and behind the system's");
  // The floors run beside the system for the whole run, on a copy of the posts, the bare one
  // measured between the scenarios (FloorSeries).
  const floorDir = join(OUT, 'floors');
  rmSync(floorDir, { recursive: true, force: true });
  mkdirSync(floorDir, { recursive: true });
  copyFileSync(join(varDir, 'db', 'timelines.db'), join(floorDir, 'timelines.db'));
  writeUsersLua([]);
  // A local for the closures below (the module's `floors` is there for the failure path).
  const floorUrls = (floors = await startFloors(floorDir, join(floorDir, 'timelines.db')));
  const series = new FloorSeries(floorUrls.bareUrl);
  const { rows, floorRuns } = series;
  const measureFloor = () => series.measureFloor();
  const besideFloor = (scenario: string, run: () => Promise<WrkResult>, note?: string) => series.beside(scenario, run, note);
  const measureEdge = (when: string) =>
    besideFloor(`floor, edge: the same behind the system's haproxy.cfg (${when})`, () => drive(floorUrls.edgeUrl, 'public'));
  await series.first();
  // Twice the connections, compared like a scenario with the better floor run beside it: the
  // first run alone is often the slowest of a run (one was 5,858 requests/s, the median 6,672).
  await besideFloor(`floor, bare, with ${CONNECTIONS * 2} connections`, () => drive(floorUrls.bareUrl, 'public', CONNECTIONS * 2));
  await measureEdge('before the system');

  console.error('the system as npm start runs it: users, three timelines replicas, the monitor, Redis, HAProxy; logs to var/bench/npm-start.log');
  const system = await startSystem('npm-start', varDir, databases);
  const base = system.baseUrl;
  writeUsersLua(await tokensFor(base, 200));
  console.error('  logging every user in once (users keeps verified credentials for ten minutes)');
  await warmCredentials(base);
  const probes = await prepareProbes(base, system.usersDatabaseArgs, 100);
  console.error(`  warming up: the mixed workload for ${WARM_UP_SECONDS} s`);
  await warmUp(base);
  let visibility: Visibility = { followMs: [], monitorMs: [], monitorLagMs: [] };
  const replicas = ['timelines-1', 'timelines-2', 'timelines-3'];
  // The floor run nearest in time to the first scenario (the system's start-up came between).
  await measureFloor();
  const memory = (series.memory = new ReplicaMemory(Object.fromEntries(replicas.map((name) => [name, system.processes()[name]]))));
  for (const [name, scenario] of NATIVE_SCENARIOS) {
    console.error(`  ${name}`);
    await besideFloor(name, () => drive(base, scenario));
  }
  console.error('  mixed workload (60% home, 30% user or public timeline, 10% posts)');
  await besideFloor(`mixed workload, ${CONNECTIONS} connections`, () => drive(base, 'mixed'));
  // At 16 connections, also: how long a follow takes to reach the follower's home timeline,
  // and how far the monitor is behind, while the mix runs.
  await besideFloor('mixed workload, 16 connections', async () => {
    const mixedAt16 = drive(base, 'mixed', 16);
    visibility = await visibilityDuring(base, probes, mixedAt16);
    return mixedAt16;
  });
  for (const [name, scenario] of MASTODON_PAGES) {
    console.error(`  ${name}`);
    await besideFloor(name, () => drive(base, scenario));
  }
  console.error("  the mixed workload through Mastodon's routes, 16 connections");
  await besideFloor('Mastodon mixed workload, 16 connections', () => drive(base, 'mastodon-mixed', 16));
  await memory.stop();
  series.memory = undefined;

  await stopSystem(system);

  // What the log path costs: the same system with the services' request lines off
  // (LOG_LEVEL=warn; HAProxy's access log stays, it is the edge's and the edge floor has it).
  console.error("the system again with the services' request logs off (LOG_LEVEL=warn)");
  const quiet = await startSystem('npm-start-logs-off', varDir, databases, { LOG_LEVEL: 'warn' });
  await warmCredentials(quiet.baseUrl);
  await warmUp(quiet.baseUrl);
  await measureFloor();
  for (const [name, scenario] of [
    ['public timeline', 'public'],
    ['home timeline, Bearer', 'home-bearer'],
  ]) {
    await besideFloor(`${name}, request logs off`, () => drive(quiet.baseUrl, scenario));
  }
  await stopSystem(quiet);

  // Compose post with a million posts in the database: the same users, the 1M-post timelines database.
  if (sqlite) {
    console.error('compose post with a million posts in the database');
    const millionVar = join(OUT, 'million-var');
    // Anew every run: a -wal file left from another run's database beside the copied file
    // is applied to it and corrupts it (SQLITE_CORRUPT: every compose failed once), and a
    // monitor database or Redis data left from another run belongs to other streams.
    rmSync(join(millionVar, 'db'), { recursive: true, force: true });
    rmSync(join(millionVar, 'redis'), { recursive: true, force: true });
    mkdirSync(join(millionVar, 'db'), { recursive: true });
    copyFileSync(join(varDir, 'db', 'users.db'), join(millionVar, 'db', 'users.db'));
    copyFileSync(sqlite.millionDb, join(millionVar, 'db', 'timelines.db'));
    const million = await startSystem('npm-start-million', millionVar);
    await warmCredentials(million.baseUrl);
    await warmUp(million.baseUrl);
    await measureFloor();
    await besideFloor('compose post, 1M posts in the database', () => drive(million.baseUrl, 'post'));
    await stopSystem(million);
  }

  await measureEdge('after the system');
  await floors.stop();
  floors = undefined;
  series.finish();

  const ratioOf = (name: string) => series.ratioOf(name);
  const followP99 = percentile(visibility.followMs, 99);
  const monitorP99 = percentile(visibility.monitorMs, 99);
  const errors = rows.reduce((sum, r) => sum + r.errors, 0);
  const maxGeneratorCpu = Math.max(...rows.map((r) => r.generatorCpu));
  const floorHeadroom = ratioOf(`floor, bare, with ${CONNECTIONS * 2} connections`);
  const breakdown = timeBreakdown(rows, floorRuns, POSTGRES ? null : publicQueryTimes(join(varDir, 'db', 'timelines.db')));
  const targets: Target[] = [
    ratioTarget(series, 'public timeline', 0.7),
    ratioTarget(series, 'compose post', 0.3),
    ...(sqlite ? [millionComposeTarget(ratioOf('compose post, 1M posts in the database'))] : []),
    ratioTarget(series, 'home timeline, Bearer', 0.5),
    ratioTarget(series, 'home timeline, Basic', 0.5),
    mixedTailTarget(rows, 16, 30),
    mixedTailTarget(rows, CONNECTIONS, 60),
    [
      'a follow visible in home within 2 s under the mixed load at 16 connections (p99)',
      `${followP99.toFixed(0)} ms (p99 of ${visibility.followMs.length} follows); a like counted by the monitor: p99 ${monitorP99.toFixed(0)} ms`,
      followP99 <= 2000,
    ],
    ...mastodonTargets(rows),
    ['no errors in any scenario', String(errors), errors === 0],
    [
      'the floor is the server’s limit (2× connections ≤ 1.15 × the requests/s)',
      `${floorHeadroom.toFixed(2)} ×; wrk used at most ${(maxGeneratorCpu * 100).toFixed(0)}% of the cores`,
      floorHeadroom <= 1.15,
    ],
    ...(sqlite ? growthTargets(sqlite) : []),
    memoryTarget('native', peakMemory(rows, false)),
    memoryTarget("Mastodon's", peakMemory(rows, true)),
    ...(sqlite ? [planTarget(sqlite.planScans)] : []),
  ];
  await postgres?.stop();
  postgres = undefined;

  const table = markdownTable(rows);
  const haproxyVersion = execFileSync(haproxyBinary()!, ['-v'], { encoding: 'utf8' }).split('\n')[0];
  const wrkVersion = execFileSync('bash', ['-c', `${wrkBinary()} -v 2>&1 | sed -n 1p`], { encoding: 'utf8' }).trim();
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${haproxyVersion}`;
  const report = [
    POSTGRES ? '# Benchmarks on PostgreSQL' : '# Benchmarks',
    '',
    `A real run of \`${command}\` (${new Date().toISOString()}), ${SECONDS} s per scenario after a 2 s warm-up (and a started system's first ${WARM_UP_SECONDS} s of the mixed workload before its first scenario), ${CONNECTIONS} connections unless a row says otherwise, driven by ${wrkVersion} (2 threads, bench/wrk/scenario.lua) on the same machine; the "wrk CPU" column is the load generator's share of the machine's cores.`,
    '',
    `Machine: ${machine}.`,
    '',
    `Data: the socfb-Reed98 graph, ${reed.users} users and ${reed.follows.toLocaleString('en')} follows, ${reed.posts.toLocaleString('en')} posts (reposts and comments among them) and ${reed.likes.toLocaleString('en')} likes, imported with \`npm run init-db\` in ${reedImportSeconds.toFixed(1)} s. Users are picked at random for every request from 200 with Basic credentials and Bearer tokens.`,
    '',
    "The system: `npm start` (its entry point, `dist/scripts/scripts/start.js`, with free ports and its data in var/bench/), 1 users process, 3 timelines replicas, the monitor, its own Redis and HAProxy, as shipped: request logs on (`LOG_LEVEL=info`), every process writing its own lines to npm start's output, here a file (var/bench/npm-start.log)" +
      (POSTGRES
        ? `; every service on PostgreSQL (${postgresVersion()}, a throwaway cluster on the same machine, shipped settings but shared_buffers=256MB and max_connections=200; pools of 10 per process)`
        : '') +
      ". The floors are `bench/floor-server.ts`, bare `node:http` and better-sqlite3 answering the public page (20 posts, every field, `next` and `Link`) with one indexed query over the stored counters, three copies behind two HAProxies: one that only round-robins, on one thread as the system's (**bare**, `bench/floors.ts`) and the system's own `haproxy/haproxy.cfg` with its access log (**edge**). The floors have no users process, Redis or monitor of their own (the system's processes idle beside them while a floor is measured). Each scenario is compared with the better of the bare floor runs just before and after it (the \"floor beside it\" column).",
    '',
    table,
    '',
    `![requests per second and p99 latency per scenario](${reportName}.svg)`,
    '',
    "## Where a public page's time goes",
    '',
    breakdown,
    '',
    ...(!sqlite
      ? []
      : [
          '## Growth',
          '',
          `Home timeline of a reader who follows ${FOLLOWED.toLocaleString('en')} of ${AUTHORS.toLocaleString('en')} authors, one query in-process (median of 1,000, the two databases taking turns):`,
          '',
          '| posts | first page | a page from the middle |',
          '|---:|---:|---:|',
          ...Object.entries(sqlite.growth).map(([label, g]) => `| ${label} | ${g.firstPageMs.toFixed(2)} ms | ${g.deepPageMs.toFixed(2)} ms |`),
          '',
          `Reading one post (in-process, median of 2,000, the two posts taking turns): with 100,000 likes ${(sqlite.popular.popularMs * 1000).toFixed(1)} µs, with none ${(sqlite.popular.plainMs * 1000).toFixed(1)} µs.`,
          '',
          `A million posts imported in ${sqlite.millionImportSeconds.toFixed(1)} s (${Math.round(1_000_000 / sqlite.millionImportSeconds).toLocaleString('en')} posts/s).`,
          '',
        ]),
    '## Events under load',
    '',
    `While the mixed workload ran at 16 connections, a reader followed one author after another (${visibility.followMs.length} follows, Bearer token, \`bench/follow-visibility.ts\`) and polled its home timeline every 20 ms until the author's post showed, then liked that post and polled the monitor's stats until its like count had it (nothing else likes during the scenarios). From the follow's answer to the post in home: median ${percentile(visibility.followMs, 50).toFixed(0)} ms, p99 ${followP99.toFixed(0)} ms, max ${Math.max(...visibility.followMs).toFixed(0)} ms (the contract allows 2 s). From the like's answer to the like in the monitor: median ${percentile(visibility.monitorMs, 50).toFixed(0)} ms, p99 ${monitorP99.toFixed(0)} ms, max ${Math.max(...visibility.monitorMs).toFixed(0)} ms. The lag the monitor itself reports (\`GET /monitor/stats\`, the slower of its two streams; 0 when its last read reached the stream's end), ${visibility.monitorLagMs.length} samples every 250 ms: median ${percentile(visibility.monitorLagMs, 50).toFixed(0)} ms, p99 ${percentile(visibility.monitorLagMs, 99).toFixed(0)} ms.`,
    '',
    '## Targets',
    '',
    '| target | measured | met |',
    '|---|---|---|',
    ...targets.map(([target, measured, met]) => `| ${target} | ${measured} | ${met ? 'yes' : '**no**'} |`),
    '',
  ].join('\n');

  mkdirSync(join(ROOT, 'docs'), { recursive: true });
  writeFileSync(join(ROOT, 'docs', `${reportName}.svg`), renderChart(rows));
  const reportPath = join(ROOT, 'docs', `${reportName}.md`);
  const existing = existsSync(reportPath) ? readFileSync(reportPath, 'utf8') : '';
  const notes = existing.includes('\n## Notes') ? existing.slice(existing.indexOf('\n## Notes')) : '';
  writeFileSync(reportPath, report + notes);
  console.log(`\n${table}\n`);
  for (const [target, measured, met] of targets) console.log(`${met ? 'met ' : 'MISS'}  ${target}: ${measured}`);
  console.log(`\nwritten to docs/${reportName}.md and docs/${reportName}.svg`);
}

main().catch(async (error: unknown) => {
  console.error(`bench failed: ${(error as Error).stack ?? error}`);
  await Promise.all([...running].map(stopSystem));
  await floors?.stop();
  await postgres?.stop();
  process.exit(1);
});
