/**
 * `npm run bench`: how fast the system is, against a floor measured in the same run.
 *
 *   npm run bench                      # Reed98 graph, ~10 posts per user
 *   npm run bench -- --large           # the same graph with a million posts
 *   BENCH_SECONDS=20 BENCH_CONNECTIONS=64 npm run bench
 *
 * Every scenario is driven with autocannon through HAProxy against the native topology
 * (1 users, 3 timelines replicas). The floor is bare node:http over the same repository and
 * database, three copies behind the same HAProxy. The table is printed and written, with a
 * chart, to docs/benchmarks.md.
 */
import autocannon, { Request, Result } from 'autocannon';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '@app/database';
import { TIMELINES_MIGRATIONS } from '../apps/timelines/src/database/timelines.migrations';
import { SqlitePostsRepository } from '../apps/timelines/src/posts/sqlite-posts.repository';
import { fullTableScans } from '../apps/timelines/src/posts/query-plans';
import { entryPoint, freePort, haproxyBinary, ROOT, Topology } from '@app/topology';
import { AUTHORS, benchPassword, benchUsername, FOLLOWED, generateGrowthPosts, generateReed, growthAuthor, randomGenerator } from './dataset';
import { renderChart } from './chart';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const LARGE = process.argv.includes('--large');
/** The large run keeps its own report, so docs/benchmarks.md always holds the default run. */
const reportName = LARGE ? 'benchmarks-large' : 'benchmarks';
const OUT = join(ROOT, 'var', 'bench');
const SECRET = 'benchmark-secret-0123456789abcdef';
const PEOPLE = 962;

interface Row {
  scenario: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  ratio: number | null;
  note?: string;
}

const basicFor = (i: number) => `Basic ${Buffer.from(`${benchUsername(i)}:${benchPassword(i)}`).toString('base64')}`;

function initDb(args: string[]): number {
  const started = performance.now();
  execFileSync(process.execPath, [entryPoint('init-db'), ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  return (performance.now() - started) / 1000;
}

async function startTopology(varDir: string, timelinesEntry?: string): Promise<Topology> {
  const topology = new Topology({
    httpPort: await freePort(),
    usersPort: await freePort(),
    timelinesPorts: [await freePort(), await freePort(), await freePort()],
    varDir,
    jwtSecret: SECRET,
    timelinesEntry,
    env: { LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info' },
  });
  await topology.start();
  return topology;
}

async function drive(baseUrl: string, requests: Request[], overallRate?: number): Promise<Result> {
  // A short warm-up first: JIT, connection pools and caches settle before measuring.
  await autocannon({ url: baseUrl, connections: CONNECTIONS, duration: 2, requests });
  return autocannon({ url: baseUrl, connections: CONNECTIONS, duration: SECONDS, requests, overallRate });
}

function row(scenario: string, result: Result, floorRps: number | null, note?: string): Row {
  return {
    scenario,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    ratio: floorRps ? result.requests.average / floorRps : null,
    note,
  };
}

/** Samples each replica's resident memory while `work` runs; returns the peak per replica in MB. */
async function peakMemory<T>(topology: Topology, names: string[], work: () => Promise<T>): Promise<{ result: T; peaks: Record<string, number> }> {
  const peaks: Record<string, number> = {};
  let running = true;
  const sampler = (async () => {
    while (running) {
      for (const name of names) {
        const pid = topology.process(name)?.pid;
        if (!pid) continue;
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
        peaks[name] = Math.max(peaks[name] ?? 0, Math.round(kb / 1024));
      }
      await sleep(250);
    }
  })();
  const result = await work();
  running = false;
  await sampler;
  return { result, peaks };
}

async function tokensFor(baseUrl: string, count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${baseUrl}/auth/token`, { method: 'POST', headers: { Authorization: basicFor(i) } });
    tokens.push(((await response.json()) as { access_token: string }).access_token);
  }
  return tokens;
}

/** One Basic login per user, eight at a time, so the scenarios measure logged-in users, not scrypt. */
async function warmCredentials(baseUrl: string): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < PEOPLE) {
        const i = next++;
        const response = await fetch(`${baseUrl}/auth/verify`, { method: 'POST', headers: { Authorization: basicFor(i) } });
        if (!response.ok) throw new Error(`login of ${benchUsername(i)} failed: ${response.status}`);
      }
    }),
  );
}

/** Home-timeline query time in-process, for a reader following 1,000 of 2,000 authors. */
function homeQueryTimes(dbPath: string): { firstPageMs: number; deepPageMs: number } {
  const db = openDatabase(dbPath, TIMELINES_MIGRATIONS);
  const posts = new SqlitePostsRepository(db);
  const authors = ['reader', ...Array.from({ length: FOLLOWED }, (_, i) => growthAuthor(i))];
  const time = (before: [number, number] | null) => {
    for (let i = 0; i < 20; i++) posts.homeTimeline(authors, before, 21);
    const samples: number[] = [];
    for (let i = 0; i < 200; i++) {
      const started = performance.now();
      posts.homeTimeline(authors, before, 21);
      samples.push(performance.now() - started);
    }
    samples.sort((a, b) => a - b);
    return samples[Math.floor(samples.length / 2)];
  };
  const firstPageMs = time(null);
  const middle = db
    .prepare('SELECT created_at, id FROM posts ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM posts)')
    .get() as { created_at: number; id: number };
  const deepPageMs = time([middle.created_at, middle.id]);
  db.close();
  return { firstPageMs, deepPageMs };
}

function timelinePlans(dbPath: string): string[] {
  const db = openDatabase(dbPath, TIMELINES_MIGRATIONS);
  const scans = fullTableScans(db);
  db.close();
  return scans;
}

function markdownTable(rows: Row[]): string {
  const lines = ['| scenario | requests/s | p50 ms | p99 ms | errors | × floor |', '|---|---:|---:|---:|---:|---:|'];
  for (const r of rows) {
    lines.push(`| ${r.scenario} | ${r.rps.toLocaleString('en')} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.ratio === null ? '–' : r.ratio.toFixed(2)} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  if (!haproxyBinary()) throw new Error('haproxy is not installed (sudo apt-get install -y haproxy)');
  mkdirSync(OUT, { recursive: true });
  const command = `npm run bench${LARGE ? ' -- --large' : ''}`;
  const postsPerUser = LARGE ? Math.ceil(1_000_000 / PEOPLE) : 10;

  // The data set: the real graph, generated into CSV and imported with the project's own init command.
  const csvDir = join(OUT, LARGE ? 'reed-large-csv' : 'reed-csv');
  const varDir = join(OUT, LARGE ? 'reed-large-var' : 'reed-var');
  console.error(`generating the Reed98 data set (${postsPerUser} posts per user)`);
  const reed = await generateReed(join(ROOT, 'bench/datasets/socfb-Reed98.edges'), csvDir, postsPerUser);
  rmSync(join(varDir, 'db', 'timelines.db'), { force: true });
  if (!existsSync(join(varDir, 'db', 'users.db'))) {
    console.error('importing users (every password is hashed with scrypt)');
    initDb(['--only', 'users', '--data', csvDir, '--users-db', join(varDir, 'db', 'users.db')]);
  }
  const reedImportSeconds = initDb(['--only', 'timelines', '--data', csvDir, '--timelines-db', join(varDir, 'db', 'timelines.db')]);

  const rows: Row[] = [];
  const random = randomGenerator(1);
  const pick = () => Math.floor(random() * PEOPLE);

  console.error('floor: node:http + better-sqlite3, three copies behind HAProxy');
  const floorTopology = await startTopology(varDir, entryPoint('floor-server'));
  const floor = await drive(floorTopology.baseUrl, [{ method: 'GET', path: '/timelines/public' }]);
  await floorTopology.stop();
  const floorRps = floor.requests.average;
  rows.push(row('floor: public timeline (node:http)', floor, floorRps));

  console.error('the system: users, three timelines replicas, HAProxy');
  const topology = await startTopology(varDir);
  const base = topology.baseUrl;
  const tokens = await tokensFor(base, 200);
  console.error('  logging every user in once (users keeps verified credentials for ten minutes)');
  await warmCredentials(base);
  const scenarios: Array<[string, Request[]]> = [
    ['public timeline', [{ method: 'GET', path: '/timelines/public' }]],
    ['user timeline', [{ method: 'GET', path: '/', setupRequest: (r) => ({ ...r, path: `/timelines/users/${benchUsername(pick())}` }) }]],
    ['home timeline, Basic', [{ method: 'GET', path: '/', setupRequest: (r) => { const i = pick(); return { ...r, path: '/timelines/home', headers: { ...r.headers, authorization: basicFor(i) } }; } }]],
    ['home timeline, Bearer', [{ method: 'GET', path: '/', setupRequest: (r) => ({ ...r, path: '/timelines/home', headers: { ...r.headers, authorization: `Bearer ${tokens[Math.floor(random() * tokens.length)]}` } }) }]],
    ['compose post', [{ method: 'POST', path: '/posts', setupRequest: (r) => ({ ...r, headers: { ...r.headers, authorization: basicFor(pick()), 'content-type': 'application/json' }, body: JSON.stringify({ message: `benchmark post ${random()}` }) }) }]],
  ];
  const mixed: Request[] = [
    {
      method: 'GET',
      path: '/',
      setupRequest: (r) => {
        const roll = random();
        const i = pick();
        if (roll < 0.6) return { ...r, method: 'GET', path: '/timelines/home', body: undefined, headers: { authorization: basicFor(i) } };
        if (roll < 0.9) return { ...r, method: 'GET', path: `/timelines/users/${benchUsername(pick())}`, body: undefined, headers: {} };
        return { ...r, method: 'POST', path: '/posts', headers: { authorization: basicFor(i), 'content-type': 'application/json' }, body: JSON.stringify({ message: `mixed ${roll}` }) };
      },
    },
  ];
  const replicas = ['timelines-1', 'timelines-2', 'timelines-3'];
  const { peaks } = await peakMemory(topology, replicas, async () => {
    for (const [name, requests] of scenarios) {
      console.error(`  ${name}`);
      rows.push(row(name, await drive(base, requests), floorRps));
    }
    console.error('  mixed workload (60% home, 30% user timeline, 10% posts)');
    const peak = await drive(base, mixed);
    rows.push(row('mixed workload, peak', peak, floorRps));
    const half = Math.round(peak.requests.average / 2);
    const atHalf = await drive(base, mixed, half);
    rows.push(row(`mixed workload at ${half} req/s (half of peak)`, atHalf, null));
  });
  await topology.stop();

  // Growth: a reader following 1,000 of 2,000 authors, at 10k and at 1M posts.
  console.error('growth: home timeline at 10k and 1M posts; import of a million posts');
  const growth: Record<string, { firstPageMs: number; deepPageMs: number }> = {};
  let millionImportSeconds = 0;
  let planScans: string[] = [];
  for (const [label, count] of [['10k', 10_000], ['1M', 1_000_000]] as const) {
    const dir = join(OUT, `growth-${label}`);
    if (!existsSync(join(dir, 'posts.csv'))) await generateGrowthPosts(dir, count);
    const dbPath = join(dir, 'timelines.db');
    const seconds = initDb(['--only', 'timelines', '--posts', join(dir, 'posts.csv'), '--timelines-db', dbPath]);
    if (count === 1_000_000) {
      millionImportSeconds = seconds;
      planScans = timelinePlans(dbPath);
    }
    growth[label] = homeQueryTimes(dbPath);
  }

  const growthRatio = growth['1M'].firstPageMs / growth['10k'].firstPageMs;
  const mixedHalf = rows[rows.length - 1];
  const ratioOf = (name: string) => rows.find((r) => r.scenario === name)?.ratio ?? 0;
  const errors = rows.reduce((sum, r) => sum + r.errors, 0);
  const targets: Array<[string, string, boolean]> = [
    ['public timeline ≥ 0.8 × floor', ratioOf('public timeline').toFixed(2), ratioOf('public timeline') >= 0.8],
    ['home timeline, Basic ≥ 0.5 × floor', ratioOf('home timeline, Basic').toFixed(2), ratioOf('home timeline, Basic') >= 0.5],
    ['home timeline, Bearer ≥ 0.5 × floor', ratioOf('home timeline, Bearer').toFixed(2), ratioOf('home timeline, Bearer') >= 0.5],
    ['compose post ≥ 0.25 × floor', ratioOf('compose post').toFixed(2), ratioOf('compose post') >= 0.25],
    ['mixed p99 < 50 ms at half peak', `${mixedHalf.p99} ms`, mixedHalf.p99 < 50],
    ['no errors in any scenario', String(errors), errors === 0],
    ['home at 1M ≤ 1.5 × home at 10k', `${growthRatio.toFixed(2)} (${growth['1M'].firstPageMs.toFixed(2)} / ${growth['10k'].firstPageMs.toFixed(2)} ms)`, growthRatio <= 1.5],
    ['a million posts imported < 15 s', `${millionImportSeconds.toFixed(1)} s`, millionImportSeconds < 15],
    ['each replica < 120 MB resident', replicas.map((n) => `${peaks[n]} MB`).join(', '), replicas.every((n) => peaks[n] < 120)],
    ['no timeline query scans the posts table', planScans.length === 0 ? 'none' : planScans.join('; '), planScans.length === 0],
  ];

  const table = markdownTable(rows);
  const haproxyVersion = execFileSync(haproxyBinary()!, ['-v'], { encoding: 'utf8' }).split('\n')[0];
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${haproxyVersion}`;
  const report = [
    '# Benchmarks',
    '',
    `A real run of \`${command}\` (${new Date().toISOString()}), ${SECONDS} s per scenario after a 2 s warm-up, ${CONNECTIONS} connections, autocannon in the same machine.`,
    '',
    `Machine: ${machine}.`,
    '',
    `Data: the socfb-Reed98 graph, ${reed.users} users and ${reed.follows.toLocaleString('en')} follows, ${reed.posts.toLocaleString('en')} posts (reposts and comments among them) and ${reed.likes.toLocaleString('en')} likes, imported with \`npm run init-db\` in ${reedImportSeconds.toFixed(1)} s. Users are picked at random for every request; Basic credentials belong to the picked user, Bearer tokens to one of 200 users.`,
    '',
    'Topology: HAProxy on a free port, 1 users process, 3 timelines replicas, request logs on (`LOG_LEVEL=info`, to /dev/null). The floor is `bench/floor-server.ts`: bare `node:http` with the same repository and database, three copies behind the same HAProxy.',
    '',
    table,
    '',
    `![requests per second and p99 latency per scenario](${reportName}.svg)`,
    '',
    '## Growth',
    '',
    `Home timeline of a reader who follows ${FOLLOWED.toLocaleString('en')} of ${AUTHORS.toLocaleString('en')} authors, one query in-process (median of 200):`,
    '',
    '| posts | first page | a page from the middle |',
    '|---:|---:|---:|',
    ...Object.entries(growth).map(([label, g]) => `| ${label} | ${g.firstPageMs.toFixed(2)} ms | ${g.deepPageMs.toFixed(2)} ms |`),
    '',
    `A million posts imported in ${millionImportSeconds.toFixed(1)} s (${Math.round(1_000_000 / millionImportSeconds).toLocaleString('en')} posts/s).`,
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

main().catch((error: unknown) => {
  console.error(`bench failed: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
