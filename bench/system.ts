/**
 * The system as a user runs it: `npm start`'s own entry point (node dist/scripts/scripts/start.js,
 * what `npm start` runs once the build is there), its processes writing their log lines
 * straight to its output, here a file (var/bench/<name>.log), as a terminal or a redirect would
 * take them. Only the ports and the data folder differ from a plain `npm start`, so a run of
 * the bench never touches the data in var/ or the ports of a system already running.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { consecutiveFreePorts, freePort, ROOT } from '@app/topology';

export interface SystemOptions {
  /** The data folder (databases, Redis, the generated backends): npm start's VAR_DIR. */
  varDir: string;
  /** Where its output goes. */
  logFile: string;
  /** More environment, e.g. LOG_LEVEL or the PostgreSQL URLs. */
  env?: NodeJS.ProcessEnv;
}

export class StartedSystem {
  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
    /** users, every replica and the monitor, in that order. */
    readonly servicePorts: number[],
    readonly usersDatabaseArgs: string[],
  ) {}

  static async start({ varDir, logFile, env = {} }: SystemOptions): Promise<StartedSystem> {
    const httpPort = await freePort();
    const timelinesBase = await consecutiveFreePorts(3);
    const ports = {
      HTTP_PORT: httpPort,
      USERS_PORT: await freePort(),
      TIMELINES_BASE_PORT: timelinesBase,
      MONITOR_PORT: await freePort(),
      REDIS_PORT: await freePort(),
      HAPROXY_METRICS_PORT: await freePort(),
    };
    const output = openSync(logFile, 'w');
    const child = spawn(process.execPath, [join(ROOT, 'dist/scripts/scripts/start.js')], {
      cwd: ROOT,
      env: { ...process.env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), TIMELINES_REPLICAS: '3', VAR_DIR: varDir, ...env },
      stdio: ['ignore', output, output],
    });
    const system = new StartedSystem(
      child,
      `http://127.0.0.1:${httpPort}`,
      [ports.USERS_PORT, timelinesBase, timelinesBase + 1, timelinesBase + 2, ports.MONITOR_PORT],
      env.USERS_DATABASE_URL ? ['--url', env.USERS_DATABASE_URL] : ['--db', join(varDir, 'db', 'users.db')],
    );
    // npm start says it is up once HAProxy routes to every process.
    for (let i = 0; i < 1200; i++) {
      if (readFileSync(logFile, 'utf8').includes('microblog is up')) return system;
      if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}); see ${logFile}`);
      await sleep(250);
    }
    throw new Error(`npm start was not up within 5 minutes; see ${logFile}`);
  }

  /** The process ids of npm start's children by the name each runs as (SERVICE_NAME; redis and haproxy by command). */
  processes(): Record<string, number> {
    const found: Record<string, number> = {};
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (parent !== this.child.pid) continue;
        const environment = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
        const service = environment.find((line) => line.startsWith('SERVICE_NAME='))?.slice('SERVICE_NAME='.length);
        const command = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
        found[service ?? command] = Number(entry);
      } catch {
        // exited while being read
      }
    }
    return found;
  }

  /** Ctrl-C, as a person stops it: npm start stops every process and exits. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGINT');
    await Promise.race([exited, sleep(30_000)]);
  }
}
