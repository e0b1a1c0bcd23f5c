/**
 * What every benchmark of the system shares: wrk runs of bench/wrk/scenario.lua and their
 * parsing, the report's rows and table, the bench users' credentials, and the data import.
 * `npm run bench` (run.ts) drives npm start's system with it, `npm run bench:compose`
 * (compose.ts) compose's.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { entryPoint, ROOT } from '@app/topology';
import { benchPassword, benchUsername } from './dataset';
import { highest, Memory, ReplicaMemory } from './replica-memory';

export const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
/** How long a started system is driven before its first measurement (see warmUp). */
export const WARM_UP_SECONDS = 12;

export const OUT = join(ROOT, 'var', 'bench');
export const USERS_LUA = join(OUT, 'wrk-users.lua');
/** The people of the Reed98 graph, every one a bench user (username_<i>, password_<i>). */
export const PEOPLE = 962;

export interface Row {
  scenario: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  ratio: number | null;
  /** The floor this row is compared with: the better of the floor runs just before and after it. */
  floorRps?: number;
  generatorCpu: number;
  note?: string;
  /** The replicas' peak memory during the scenario (the highest of the three), for the system's rows. */
  memory?: Memory;
}

export const basicFor = (i: number) => `Basic ${Buffer.from(`${benchUsername(i)}:${benchPassword(i)}`).toString('base64')}`;

export function initDb(args: string[]): number {
  const started = performance.now();
  execFileSync(process.execPath, [entryPoint('init-db'), ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  return (performance.now() - started) / 1000;
}

/** Whether a service's /health/ready answer says its consumers have read their streams to the end and its outbox is published. */
export function isCaughtUp(ready: unknown): boolean {
  const events = (ready as { info?: { events?: { status?: string; outboxBacklog?: number } } }).info?.events;
  return events?.status === 'up' && (events.outboxBacklog ?? 0) === 0;
}

export interface WrkResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** wrk's own CPU time over the run, as a share of the machine's cores. */
  generatorCpu: number;
}

export function wrkBinary(): string {
  for (const candidate of ['/usr/bin/wrk', '/usr/local/bin/wrk']) if (existsSync(candidate)) return candidate;
  throw new Error('wrk is not installed (sudo apt-get install -y wrk)');
}

const toMs = (value: string, unit: string) => Number(value) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[unit];

/** One wrk run: `scenario` of bench/wrk/scenario.lua for `seconds`, parsed from wrk's --latency report. */
export async function wrk(baseUrl: string, scenario: string, seconds: number, connections: number): Promise<WrkResult> {
  const args = ['-t2', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', join(ROOT, 'bench/wrk/scenario.lua'), baseUrl];
  const env = { ...process.env, BENCH_SCENARIO: scenario, BENCH_USERS: USERS_LUA };
  const child = spawn('bash', ['-c', `TIMEFORMAT='cpu %U %S'; time ${wrkBinary()} "$@"`, 'wrk', ...args], { env });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number>((resolve) => child.on('close', (status) => resolve(status ?? 1)));
  if (code !== 0) throw new Error(`wrk failed (${code}):\n${output}`);
  const percentile = (p: string) => {
    const match = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(output);
    return match ? toMs(match[1], match[2]) : NaN;
  };
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
  const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(output);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? NaN),
    p50: percentile('50'),
    p99: percentile('99'),
    errors: non2xx + (socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0),
    generatorCpu: cpu ? (Number(cpu[1]) + Number(cpu[2])) / seconds / cpus().length : NaN,
  };
}

/**
 * Freshly started replicas spend their first seconds compiling: in the first 4 s of compose
 * posts after a start (after the 2 s warm-up every scenario has), V8's compilers and
 * interpreter took 29% of the replicas' CPU, against 5% once warm, and served 40-55% of the
 * later rate. So a started system runs the mixed workload (every route) before its first
 * measurement, as the floor, running all along, already has.
 */
export async function warmUp(baseUrl: string): Promise<void> {
  await wrk(baseUrl, 'mixed', WARM_UP_SECONDS, CONNECTIONS);
}

/** A short warm-up first (JIT, connection pools and caches settle), then the measured run. */
export async function drive(baseUrl: string, scenario: string, connections = CONNECTIONS): Promise<WrkResult> {
  await wrk(baseUrl, scenario, 2, connections);
  return wrk(baseUrl, scenario, SECONDS, connections);
}

/** A row of the report; its ratio to the floor is set once both floor runs are known. */
export function row(scenario: string, result: WrkResult, note?: string): Row {
  return {
    scenario,
    rps: Math.round(result.rps),
    p50: Number(result.p50.toFixed(2)),
    p99: Number(result.p99.toFixed(2)),
    errors: result.errors,
    ratio: null,
    generatorCpu: result.generatorCpu,
    note,
  };
}

export interface BenchCredentials {
  jwt: string;
  oauth: string;
  accountId: string;
}

/** Each user's native token, and an OAuth token (the password grant of one registered app) as a Mastodon app holds one. */
export async function tokensFor(baseUrl: string, count: number): Promise<BenchCredentials[]> {
  const app = (await (
    await fetch(`${baseUrl}/api/v1/apps`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ client_name: 'bench', redirect_uris: 'urn:ietf:wg:oauth:2.0:oob', scopes: 'read write follow' }),
    })
  ).json()) as { client_id: string; client_secret: string };
  const credentials: BenchCredentials[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${baseUrl}/auth/token`, { method: 'POST', headers: { Authorization: basicFor(i) } });
    const jwt = ((await response.json()) as { access_token: string }).access_token;
    const grant = await fetch(`${baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'password',
        client_id: app.client_id,
        client_secret: app.client_secret,
        username: benchUsername(i),
        password: benchPassword(i),
        scope: 'read write follow',
      }),
    });
    if (!grant.ok) throw new Error(`the OAuth token of ${benchUsername(i)} was refused: ${grant.status}`);
    const oauth = ((await grant.json()) as { access_token: string }).access_token;
    const account = (await (await fetch(`${baseUrl}/api/v1/accounts/lookup?acct=${benchUsername(i)}`)).json()) as { id: string };
    credentials.push({ jwt, oauth, accountId: account.id });
  }
  return credentials;
}

/** One Basic login per user, eight at a time, so the scenarios measure logged-in users, not scrypt. */
export async function warmCredentials(baseUrl: string): Promise<void> {
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

export function markdownTable(rows: Row[]): string {
  const lines = [
    '| scenario | requests/s | p50 ms | p99 ms | errors | floor beside it | × floor | wrk CPU | replica peak MB, RSS / PSS |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.scenario} | ${r.rps.toLocaleString('en')} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.floorRps === undefined ? '–' : r.floorRps.toLocaleString('en')} | ${r.ratio === null ? '–' : r.ratio.toFixed(2)} | ${(r.generatorCpu * 100).toFixed(0)}% | ${r.memory ? `${r.memory.rss} / ${r.memory.pss}` : '–'} |`,
    );
  }
  return lines.join('\n');
}

/** The Lua file bench/wrk/scenario.lua reads: users with Basic, Bearer and OAuth credentials and their account ids. */
export function writeUsersLua(credentials: BenchCredentials[]): void {
  const quote = (text: string) => JSON.stringify(text);
  const entries = credentials.map(
    ({ jwt, oauth, accountId }, i) =>
      `{ name = ${quote(benchUsername(i))}, id = ${quote(accountId)}, basic = ${quote(basicFor(i))}, bearer = ${quote(`Bearer ${jwt}`)}, oauth = ${quote(`Bearer ${oauth}`)} }`,
  );
  writeFileSync(USERS_LUA, `return {\n  ${entries.join(',\n  ')}\n}\n`);
}

export type Target = [target: string, measured: string, met: boolean];

/** The native scenarios of bench/wrk/scenario.lua, each by its report name, measured first. */
export const NATIVE_SCENARIOS: Array<[name: string, scenario: string]> = [
  ['public timeline', 'public'],
  ['user timeline', 'user'],
  ['home timeline, Basic', 'home-basic'],
  ['home timeline, Bearer', 'home-bearer'],
  ['compose post', 'post'],
];

/**
 * Mastodon's two pages, after the native scenarios: a replica that has served Mastodon's pages
 * (seven times the bytes of native ones) keeps a bigger heap a while, which the native rows would show.
 */
export const MASTODON_PAGES: Array<[name: string, scenario: string]> = [
  ['Mastodon public timeline', 'mastodon-public'],
  ['Mastodon home timeline, OAuth token', 'mastodon-home'],
];

/** A row's share of the bare floor beside it, at least `floor`. */
export function ratioTarget(series: FloorSeries, name: string, floor: number): Target {
  const ratio = series.ratioOf(name);
  return [`${name} ≥ ${floor} × bare floor`, ratio.toFixed(2), ratio >= floor];
}

/** The mixed workload's p99 at `connections`, under `limitMs`. */
export function mixedTailTarget(rows: Row[], connections: number, limitMs: number): Target {
  const p99 = rows.find((r) => r.scenario === `mixed workload, ${connections} connections`)?.p99 ?? NaN;
  return [`mixed p99 < ${limitMs} ms at ${connections} connections`, `${p99} ms`, p99 < limitMs];
}

/** The replicas' highest peak over the system's native rows, or over Mastodon's. */
export function peakMemory(rows: Row[], mastodon: boolean): Memory {
  return highest(rows.filter((r) => r.memory && r.scenario.startsWith('Mastodon') === mastodon).map((r) => r.memory!));
}

export function memoryTarget(which: string, peak: Memory): Target {
  return [
    `each replica < 110 MB resident at peak, ${which} scenarios`,
    `${peak.rss} MB (its proportional share, PSS: ${peak.pss} MB)`,
    peak.rss > 0 && peak.rss < 110,
  ];
}

/**
 * The report's rows, each scenario run between two runs of the bare floor and compared with
 * the better of them: the machine's speed moves within a run (one run's floor went from 4,417
 * to 6,887 requests/s between its start and its end), and it moves both alike this way, so a
 * floor run while the machine was slow cannot flatter the system.
 */
export class FloorSeries {
  readonly rows: Row[] = [];
  readonly floorRuns: WrkResult[] = [];
  /** The replicas' memory while the system's scenarios run (each row gets its own peak). */
  memory: ReplicaMemory | undefined;

  constructor(private readonly bareUrl: string) {}

  async measureFloor(): Promise<WrkResult> {
    const result = await drive(this.bareUrl, 'public');
    this.floorRuns.push(result);
    return result;
  }

  /** The first floor run, its own row. */
  async first(): Promise<void> {
    const floor = await this.measureFloor();
    this.rows.push({ ...row('floor, bare: public timeline (node:http, round-robin HAProxy), first run', floor), floorRps: Math.round(floor.rps) });
  }

  /** Runs a scenario between two bare floor runs; its row is compared with the better. */
  async beside(scenario: string, run: () => Promise<WrkResult>, note?: string): Promise<WrkResult> {
    const before = this.floorRuns[this.floorRuns.length - 1];
    this.memory?.takePeaks();
    const result = await run();
    const peaks = this.memory?.takePeaks();
    const after = await this.measureFloor();
    this.rows.push({
      ...row(scenario, result, note),
      floorRps: Math.round(Math.max(before.rps, after.rps)),
      ...(peaks && Object.keys(peaks).length > 0 ? { memory: highest(Object.values(peaks)) } : {}),
    });
    return result;
  }

  /** Adds the floor runs' median as the third row and sets every row's ratio. */
  finish(): void {
    const byRate = this.floorRuns.slice().sort((a, b) => a.rps - b.rps);
    const range = `${Math.round(byRate[0].rps).toLocaleString('en')} to ${Math.round(byRate[byRate.length - 1].rps).toLocaleString('en')}`;
    this.rows.splice(2, 0, row(`floor, bare, between the scenarios: the median of ${byRate.length} runs (${range})`, byRate[Math.floor(byRate.length / 2)]));
    for (const r of this.rows) r.ratio = r.floorRps === undefined ? null : r.rps / r.floorRps;
  }

  ratioOf(name: string): number {
    return this.rows.find((r) => r.scenario === name)?.ratio ?? 0;
  }
}
