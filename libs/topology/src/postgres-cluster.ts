import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A throwaway PostgreSQL cluster (Debian's postgresql package) on a spare port, in a
 * temporary directory, removed by stop(): for the benchmarks and the tests on PostgreSQL. PostgreSQL refuses to run as root, so as root it
 * runs as the `postgres` user.
 */
export class PostgresCluster {
  private server?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'microblog-pg-'));
  private readonly data = join(this.dir, 'data');
  private readonly asRoot = process.getuid?.() === 0;

  constructor(readonly port: number) {}

  /** The command line that runs `command` as the postgres user when this process is root. */
  private readonly as = (command: string, args: string[]): [string, string[]] =>
    this.asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];

  get url(): string {
    return this.urlOf('postgres');
  }

  urlOf(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  static binaries(): string {
    const root = '/usr/lib/postgresql';
    const version = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a))[0] : undefined;
    if (!version) throw new Error('PostgreSQL is not installed: apt-get install postgresql');
    return join(root, version, 'bin');
  }

  async start(settings: Record<string, string> = {}): Promise<void> {
    const bin = PostgresCluster.binaries();
    if (this.asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
      chownSync(this.dir, uid, gid);
    }
    execFileSync(...this.as(join(bin, 'initdb'), ['-D', this.data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']), { stdio: 'ignore' });
    const options = Object.entries({ listen_addresses: '127.0.0.1', port: String(this.port), unix_socket_directories: this.dir, ...settings }).flatMap(
      ([name, value]) => ['-c', `${name}=${value}`],
    );
    this.server = spawn(...this.as(join(bin, 'postgres'), ['-D', this.data, ...options]), { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      try {
        execFileSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(this.port)], { stdio: 'ignore' });
        return;
      } catch {
        await sleep(100);
      }
    }
    throw new Error(`PostgreSQL did not start on port ${this.port}`);
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      // runuser does not pass signals on: pg_ctl signals the server itself.
      execFileSync(...this.as(join(PostgresCluster.binaries(), 'pg_ctl'), ['stop', '-D', this.data, '-m', 'fast', '-w']), { stdio: 'ignore' });
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
