/**
 * Starts and stops the native topology: one users process, N timelines replicas and HAProxy
 * in front, as real processes on real ports. `npm start`, the e2e tests and the benchmarks
 * all start the system through this one module.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { ensureSecretFile } from '@app/config';
import { dirname, join, resolve } from 'node:path';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { entryPoint, ROOT } from './paths';

export interface TopologyOptions {
  httpPort: number;
  usersPort?: number;
  timelinesBasePort?: number;
  replicas?: number;
  /** Explicit replica ports (tests pick free ones); otherwise consecutive from timelinesBasePort. */
  timelinesPorts?: number[];
  /** Where the databases, the generated HAProxy backends and the JWT secret live. */
  varDir?: string;
  jwtSecret?: string;
  /**
   * Where the processes' output goes. 'inherit' (npm start): each process writes its own lines
   * to this process's stdout and stderr, once, with nothing in between. A function (the tests):
   * every line, prefixed with its process's name, read through a pipe. By default it is dropped.
   */
  output?: 'inherit' | ((line: string) => void);
  /** Told when a process exits while the topology is not stopping. */
  onExit?: (name: string, how: string) => void;
  /** Extra environment for the services (e.g. LOG_LEVEL). */
  env?: NodeJS.ProcessEnv;
  monitorPort?: number;
  haproxyMetricsPort?: number;
  /** The Redis to start on this port (default 6379), unless `redisUrl` names one already running. */
  redisPort?: number;
  redisUrl?: string;
  /** Keep Redis's data in varDir/redis across restarts (npm start); tests start it empty each time. */
  redisPersistence?: boolean;
  /** The users service's PostgreSQL database (filled from data/ when empty) instead of its SQLite file. */
  usersDatabaseUrl?: string;
  /** The timelines replicas' shared PostgreSQL database, likewise. */
  timelinesDatabaseUrl?: string;
  /** The monitor's PostgreSQL database (its consumers fill it from the streams). */
  monitorDatabaseUrl?: string;
}

interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Answers 2xx once the process is ready; or, for what is not HTTP (Redis), `ready`. */
  readyUrl?: string;
  ready?: () => Promise<boolean>;
  /** Where it writes its log, when not to the topology's output. */
  log?: string;
}

/** Node flags for every service process (npm start, tests, bench); the image sets the same. */
export const SERVICE_NODE_OPTIONS = '--max-semi-space-size=2 --max-old-space-size=96';

/**
 * V8 flags for every service process, which run-service sets before it loads the service (V8
 * takes these on the command line only, not from NODE_OPTIONS): baseline code of functions
 * that have not run for a while is flushed, as their bytecode is, and the old generation may
 * grow by 20% of what survived the last full collection before the next one (V8 chooses 10% to
 * 300% from its speed; see docs/performance.md).
 */
export const SERVICE_V8_FLAGS = ['--flush-baseline-code', '--heap-growing-percent=20'];

/** glibc's malloc for every service process (the image sets the same): see docs/performance.md. */
export const SERVICE_MALLOC_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '16384', MALLOC_TRIM_THRESHOLD_: '16384' };

export function redisBinary(): string | null {
  for (const candidate of ['/usr/bin/redis-server', '/usr/local/bin/redis-server']) if (existsSync(candidate)) return candidate;
  return null;
}

/**
 * redis-server's arguments: loopback only; with `persistence`, an append-only file and snapshots
 * in `dir`; its own log in `logfile` (Redis's start-up banner is not the system's news).
 */
export function redisServerArgs(port: number, { dir, persistence = false, logfile }: { dir?: string; persistence?: boolean; logfile?: string } = {}): string[] {
  return [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    ...(dir ? ['--dir', dir] : []),
    ...(logfile ? ['--logfile', logfile] : []),
    ...(persistence ? ['--appendonly', 'yes', '--save', '60 1'] : ['--appendonly', 'no', '--save', '']),
  ];
}

/** Whether a Redis answers PING on `port`. */
export function redisAnswers(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/** The process id of the Redis answering on `port` (INFO server), or null when none answers. */
export function redisProcessId(port: number, host = '127.0.0.1'): Promise<number | null> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    let text = '';
    const done = (pid: number | null) => {
      socket.destroy();
      resolve(pid);
    };
    socket.setTimeout(1000, () => done(null));
    socket.once('error', () => done(null));
    socket.once('connect', () => socket.write('INFO server\r\n'));
    socket.on('data', (data) => {
      text += data.toString();
      const match = /process_id:(\d+)/.exec(text);
      if (match) done(Number(match[1]));
      else if (text.startsWith('-')) done(null);
    });
  });
}

/** The HAProxy backends of the native topology: users on one port, replicas on consecutive ones. */
export function nativeBackendsConfig(usersPort: number, timelinesPorts: number[], monitorPort: number): string {
  const check = ['    option httpchk', '    http-check send meth GET uri /health/ready', '    http-check expect status 200'];
  return [
    '# Written by libs/topology for the native topology; do not edit.',
    'backend users',
    ...check,
    `    server users-1 127.0.0.1:${usersPort} check`,
    '',
    'backend timelines',
    '    balance roundrobin',
    ...check,
    ...timelinesPorts.map((port, i) => `    server timelines-${i + 1} 127.0.0.1:${port} check`),
    '',
    'backend monitor',
    ...check,
    `    server monitor-1 127.0.0.1:${monitorPort} check`,
    '',
  ].join('\n');
}

export function haproxyBinary(): string | null {
  for (const candidate of ['/usr/sbin/haproxy', '/usr/local/sbin/haproxy', '/usr/bin/haproxy']) {
    if (existsSync(candidate)) return candidate;
  }
  try {
    return execFileSync('sh', ['-c', 'command -v haproxy'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** A secret shared by every service of one installation, kept across restarts so tokens stay valid. */
export function sharedSecret(varDir: string): string {
  return ensureSecretFile(join(varDir, 'jwt-secret'));
}

export class Topology {
  readonly usersPort: number;
  readonly timelinesPorts: number[];
  readonly monitorPort: number;
  /** HAProxy's Prometheus exporter, on loopback. */
  readonly haproxyMetricsPort: number;
  readonly redisPort: number;
  readonly redisUrl: string;
  readonly monitorDb: string;
  readonly varDir: string;
  readonly usersDb: string;
  readonly timelinesDb: string;
  readonly backendsFile: string;
  /** Redis's own log (its start-up banner and warnings), apart from the services' lines. */
  readonly redisLog: string;
  private readonly specs = new Map<string, ProcessSpec>();
  private readonly running = new Map<string, ChildProcess>();
  private stopping = false;

  constructor(private readonly options: TopologyOptions) {
    this.usersPort = options.usersPort ?? 5000;
    const base = options.timelinesBasePort ?? 5100;
    this.timelinesPorts = options.timelinesPorts ?? Array.from({ length: options.replicas ?? 3 }, (_, i) => base + i);
    this.varDir = resolve(options.varDir ?? join(ROOT, 'var'));
    this.usersDb = join(this.varDir, 'db', 'users.db');
    this.timelinesDb = join(this.varDir, 'db', 'timelines.db');
    this.monitorDb = join(this.varDir, 'db', 'monitor.db');
    this.monitorPort = options.monitorPort ?? 5200;
    this.haproxyMetricsPort = options.haproxyMetricsPort ?? 8405;
    this.redisPort = options.redisPort ?? 6379;
    this.redisUrl = options.redisUrl ?? `redis://127.0.0.1:${this.redisPort}`;
    this.backendsFile = join(this.varDir, 'haproxy', 'backends.cfg');
    this.redisLog = join(this.varDir, 'redis', 'redis.log');
    const secret = options.jwtSecret ?? sharedSecret(this.varDir);
    const common = {
      ...process.env,
      NODE_ENV: process.env.NODE_ENV ?? 'production',
      JWT_SECRET: secret,
      HOST: '127.0.0.1',
      SHUTDOWN_DRAIN_MS: '2500',
      // A small young generation, an old generation collected early, two malloc arenas and big
      // blocks given back when freed keep a replica's resident memory low (docs/performance.md,
      // "Settings chosen by measurement").
      NODE_OPTIONS: process.env.NODE_OPTIONS ?? SERVICE_NODE_OPTIONS,
      ...Object.fromEntries(Object.entries(SERVICE_MALLOC_ENV).map(([name, value]) => [name, process.env[name] ?? value])),
      REDIS_URL: this.redisUrl,
      // Pretty lines for a person at the terminal the processes write to; JSON for a file, a pipe or a test.
      LOG_FORMAT: process.env.LOG_FORMAT ?? (process.stdout.isTTY && options.output === 'inherit' ? 'pretty' : 'json'),
      ...options.env,
    };
    const node = process.execPath;
    if (!options.redisUrl) {
      this.specs.set('redis', {
        name: 'redis',
        command: redisBinary() ?? 'redis-server',
        args: redisServerArgs(this.redisPort, { dir: join(this.varDir, 'redis'), persistence: options.redisPersistence, logfile: this.redisLog }),
        log: this.redisLog,
        env: { ...process.env },
        // Our own process, not another Redis that answers on the port (Debian's redis-server service listens on 6379).
        ready: async () => {
          const pid = await redisProcessId(this.redisPort);
          const own = this.running.get('redis')?.pid;
          if (pid !== null && pid !== own)
            throw new Error(`another Redis (pid ${pid}) answers on port ${this.redisPort}; set REDIS_PORT to a free port, or REDIS_URL to use that Redis`);
          return pid !== null;
        },
      });
    }
    this.specs.set('users-1', {
      name: 'users-1',
      command: node,
      args: [entryPoint('run-service'), 'users'],
      env: {
        ...common,
        PORT: String(this.usersPort),
        SERVICE_NAME: 'users-1',
        DATABASE_PATH: this.usersDb,
        ...(options.usersDatabaseUrl ? { DATABASE_URL: options.usersDatabaseUrl } : {}),
      },
      readyUrl: `http://127.0.0.1:${this.usersPort}/health/ready`,
    });
    this.timelinesPorts.forEach((port, i) => {
      const name = `timelines-${i + 1}`;
      this.specs.set(name, {
        name,
        command: node,
        args: [entryPoint('run-service'), 'timelines'],
        env: {
          ...common,
          PORT: String(port),
          SERVICE_NAME: name,
          DATABASE_PATH: this.timelinesDb,
          ...(options.timelinesDatabaseUrl ? { DATABASE_URL: options.timelinesDatabaseUrl } : {}),
          USERS_URL: `http://127.0.0.1:${this.usersPort}`,
        },
        readyUrl: `http://127.0.0.1:${port}/health/ready`,
      });
    });
    this.specs.set('monitor-1', {
      name: 'monitor-1',
      command: node,
      args: [entryPoint('run-service'), 'monitor'],
      env: {
        ...common,
        PORT: String(this.monitorPort),
        SERVICE_NAME: 'monitor-1',
        DATABASE_PATH: this.monitorDb,
        ...(options.monitorDatabaseUrl ? { DATABASE_URL: options.monitorDatabaseUrl } : {}),
      },
      readyUrl: `http://127.0.0.1:${this.monitorPort}/health/ready`,
    });
    this.specs.set('haproxy', {
      name: 'haproxy',
      command: haproxyBinary() ?? 'haproxy',
      args: ['-db', '-f', join(ROOT, 'haproxy/haproxy.cfg'), '-f', this.backendsFile],
      env: { ...process.env, HTTP_PORT: String(options.httpPort), HAPROXY_METRICS_ADDR: `127.0.0.1:${this.haproxyMetricsPort}` },
      // Its metrics listener, which logs nothing (the public port's stats page would show in the access log).
      readyUrl: `http://127.0.0.1:${this.haproxyMetricsPort}/metrics?scope=global`,
    });
  }

  get names(): string[] {
    return [...this.specs.keys()];
  }

  /** How the process `name` is started: its command, then its arguments. */
  commandLine(name: string): string[] {
    const spec = this.spec(name);
    return [spec.command, ...spec.args];
  }

  private spec(name: string): ProcessSpec {
    const spec = this.specs.get(name);
    if (!spec) throw new Error(`no process named ${name}`);
    return spec;
  }

  /** Where the users command (`npm run users`) finds this topology's users database. */
  get usersDatabaseArgs(): string[] {
    return this.options.usersDatabaseUrl ? ['--url', this.options.usersDatabaseUrl] : ['--db', this.usersDb];
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.options.httpPort}`;
  }

  /**
   * Builds the databases from data/ unless they exist, writes the backends, starts everything
   * and waits until it answers; if a process fails to start, stops those it started and throws.
   */
  async start(initArgs: string[] = []): Promise<void> {
    try {
      await this.startEach(initArgs);
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  private async startEach(initArgs: string[]): Promise<void> {
    this.initDatabases(initArgs);
    mkdirSync(dirname(this.backendsFile), { recursive: true });
    writeFileSync(this.backendsFile, nativeBackendsConfig(this.usersPort, this.timelinesPorts, this.monitorPort));
    if (this.specs.has('redis')) {
      mkdirSync(join(this.varDir, 'redis'), { recursive: true });
      this.launch('redis');
      await this.waitReady('redis');
    }
    // HAProxy last: started before the services, it would first mark them down and then
    // need two good checks each to take them back.
    const services = this.names.filter((name) => name !== 'haproxy' && name !== 'redis');
    for (const name of services) this.launch(name);
    await Promise.all(services.map((name) => this.waitReady(name)));
    this.launch('haproxy');
    await this.waitReady('haproxy');
    await this.waitForEdge();
  }

  initDatabases(initArgs: string[] = []): void {
    execFileSync(
      process.execPath,
      [
        entryPoint('init-db'),
        '--if-missing',
        '--data',
        join(ROOT, 'data'),
        ...(this.options.usersDatabaseUrl ? ['--users-url', this.options.usersDatabaseUrl] : ['--users-db', this.usersDb]),
        ...(this.options.timelinesDatabaseUrl ? ['--timelines-url', this.options.timelinesDatabaseUrl] : ['--timelines-db', this.timelinesDb]),
        ...initArgs,
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
  }

  launch(name: string): ChildProcess {
    const spec = this.spec(name);
    const { output, onExit } = this.options;
    const log = typeof output === 'function' ? output : undefined;
    const stdio = output === 'inherit' ? 'inherit' : log ? 'pipe' : 'ignore';
    const child = spawn(spec.command, spec.args, { env: spec.env, cwd: ROOT, stdio: ['ignore', stdio, stdio] });
    this.running.set(name, child);
    for (const stream of log ? [child.stdout!, child.stderr!] : []) {
      const lines = createInterface({ input: stream });
      lines.on('line', (line) => log!(`${name.padEnd(12)}| ${line}`));
    }
    child.on('exit', (code, signal) => {
      if (this.running.get(name) === child) this.running.delete(name);
      if (this.stopping) return;
      log?.(`${name.padEnd(12)}| exited (${signal ?? code})`);
      onExit?.(name, String(signal ?? code));
    });
    return child;
  }

  process(name: string): ChildProcess | undefined {
    return this.running.get(name);
  }

  /** Sends `signal` and resolves when the process has exited. */
  async signal(name: string, signal: NodeJS.Signals): Promise<void> {
    const child = this.running.get(name);
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill(signal);
    await exited;
  }

  async restart(name: string): Promise<void> {
    await this.signal(name, 'SIGTERM');
    this.launch(name);
    await this.waitReady(name);
  }

  async waitReady(name: string, timeoutMs = 30_000): Promise<void> {
    const spec = this.specs.get(name)!;
    const deadline = Date.now() + timeoutMs;
    const log = spec.log ? ` (its log: ${spec.log})` : '';
    while (Date.now() < deadline) {
      if (!this.running.has(name)) throw new Error(`${name} exited while starting${log}`);
      if (spec.ready ? await spec.ready() : await answers(spec.readyUrl!)) return;
      await sleep(100);
    }
    throw new Error(`${name} was not ready within ${timeoutMs} ms${log}`);
  }

  /**
   * Waits until HAProxy's checks have every server up (users, each replica, the monitor). Read
   * from its metrics listener, which logs nothing, so no probe shows in the access log.
   */
  async waitForEdge(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const wanted = new Set(['users/users-1', 'monitor/monitor-1', ...this.timelinesPorts.map((_, i) => `timelines/timelines-${i + 1}`)]);
    while (Date.now() < deadline) {
      const up = serversUp(await metrics(`http://127.0.0.1:${this.haproxyMetricsPort}/metrics?scope=server`));
      if ([...wanted].every((server) => up.has(server))) return;
      await sleep(200);
    }
    throw new Error(`HAProxy did not have users, the monitor and all ${this.timelinesPorts.length} replicas up within ${timeoutMs} ms`);
  }

  /** SIGTERM to every process (HAProxy and Redis last, so draining services still reach them), SIGKILL after 15 s. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const name of this.names) {
      const child = this.running.get(name);
      // A frozen process (a test's SIGSTOP) would never see its SIGTERM.
      if (child?.pid && child.exitCode === null) child.kill('SIGCONT');
    }
    const services = this.names.filter((name) => name !== 'haproxy' && name !== 'redis');
    await Promise.all(services.map((name) => withDeadline(this.signal(name, 'SIGTERM'), 15_000, () => this.running.get(name)?.kill('SIGKILL'))));
    for (const name of ['haproxy', 'redis']) {
      await withDeadline(this.signal(name, 'SIGTERM'), 5_000, () => this.running.get(name)?.kill('SIGKILL'));
    }
  }
}

/** `backend/server` of each server HAProxy's Prometheus exporter reports UP. */
export function serversUp(exposition: string): Set<string> {
  const up = new Set<string>();
  for (const [, proxy, server] of exposition.matchAll(/^haproxy_server_status\{proxy="([^"]+)",server="([^"]+)",state="UP"\} 1$/gm))
    up.add(`${proxy}/${server}`);
  return up;
}

async function metrics(url: string): Promise<string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return response.ok ? await response.text() : '';
  } catch {
    return '';
  }
}

/** Whether `url` answers 2xx within a second. */
export async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

async function withDeadline(work: Promise<void>, ms: number, onTimeout: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((done) => {
    timer = setTimeout(() => {
      onTimeout();
      done();
    }, ms);
  });
  await Promise.race([work, deadline]);
  clearTimeout(timer);
}
