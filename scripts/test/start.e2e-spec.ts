import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { consecutiveFreePorts, entryPoint, freePort, redisAnswers, ROOT } from '@app/topology';

/** npm start's environment: free ports, `varDir` as its var/, default logging. */
async function startEnv(varDir: string) {
  const ports = { HTTP_PORT: await freePort(), REDIS_PORT: await freePort(), HAPROXY_METRICS_PORT: await freePort(), USERS_PORT: await freePort() };
  const env: NodeJS.ProcessEnv = { ...process.env, ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])) };
  Object.assign(env, { TIMELINES_BASE_PORT: String(await consecutiveFreePorts(3)), MONITOR_PORT: String(await freePort()), VAR_DIR: varDir });
  delete env.LOG_LEVEL;
  delete env.LOG_FORMAT;
  return { env, ports };
}

/** npm start's entry point on free ports and a fresh var/, as a person runs it (its output read as they would). */
describe('npm start', () => {
  let varDir: string;
  let start: ChildProcess;
  let output = '';
  let baseUrl: string;

  const until = async (predicate: () => boolean, what: string, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`${what} not seen within ${timeoutMs} ms; output:\n${output}`);
      await sleep(50);
    }
  };

  beforeAll(async () => {
    varDir = mkdtempSync(join(tmpdir(), 'microblog-start-'));
    const { env, ports } = await startEnv(varDir);
    baseUrl = `http://127.0.0.1:${ports.HTTP_PORT}`;
    start = spawn(process.execPath, [entryPoint('start')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [start.stdout!, start.stderr!]) stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await until(() => output.includes('microblog is up'), "'microblog is up'");
  }, 90_000);

  afterAll(async () => {
    if (start.exitCode === null) {
      start.kill('SIGINT');
      await until(() => start.exitCode !== null, 'npm start exiting', 30_000).catch(() => start.kill('SIGKILL'));
    }
    rmSync(varDir, { recursive: true, force: true });
  }, 40_000);

  it("says one line per database built and per service, then 'microblog is up', and nothing else", () => {
    const lines = output.slice(0, output.indexOf('microblog is up')).trim().split('\n');
    const built = lines.filter((line) => / in [\d.]+ s$/.test(line));
    const listening = lines.filter((line) => line.includes('Server listening at http://127.0.0.1:'));
    expect(built).toHaveLength(2);
    expect(listening.map((line) => JSON.parse(line).name).sort()).toEqual(['monitor-1', 'timelines-1', 'timelines-2', 'timelines-3', 'users-1']);
    expect(lines).toHaveLength(built.length + listening.length);
    // Redis's banner went to its own log.
    expect(readFileSync(join(varDir, 'redis', 'redis.log'), 'utf8')).toContain('Ready to accept connections');
  });

  it('is up when it says so: a request through HAProxy is answered, and logged once by HAProxy and once by the service', async () => {
    const response = await fetch(`${baseUrl}/timelines/public`, { headers: { 'X-Request-ID': 'start-spec-1' } });
    expect(response.status).toBe(200);
    await until(() => output.split('\n').filter((line) => line.includes('start-spec-1')).length >= 2, 'the request in both logs', 5_000);
    const lines = output.split('\n').filter((line) => line.includes('start-spec-1'));
    expect(lines).toHaveLength(2);
    expect(lines.find((line) => line.startsWith('{'))).toContain('"url":"/timelines/public"');
    expect(lines.find((line) => !line.startsWith('{'))).toContain('GET /timelines/public');
  });

  it('stops every process on Ctrl-C (SIGINT) and exits 0', async () => {
    start.kill('SIGINT');
    await until(() => start.exitCode !== null, 'npm start exiting', 30_000);
    expect(start.exitCode).toBe(0);
    expect(existsSync(join(varDir, 'redis', 'appendonlydir'))).toBe(true);
    await expect(fetch(`${baseUrl}/timelines/public`)).rejects.toThrow();
  }, 40_000);
});

describe('npm start, when a service cannot start', () => {
  it('says which, exits 1, and leaves none of the processes it started running', async () => {
    const varDir = mkdtempSync(join(tmpdir(), 'microblog-start-failed-'));
    const { env, ports } = await startEnv(varDir);
    // Something else listens on the users service's port.
    const squatter = createServer().listen(ports.USERS_PORT, '127.0.0.1');
    try {
      const start = spawn(process.execPath, [entryPoint('start')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      for (const stream of [start.stdout!, start.stderr!]) stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exitCode = await new Promise<number | null>((exited) => start.once('exit', exited));
      expect(exitCode).toBe(1);
      expect(output).toContain('npm start failed: users-1 exited while starting');
      expect(output).toContain('EADDRINUSE');
      expect(await redisAnswers(ports.REDIS_PORT)).toBe(false);
      const timelinesPort = Number(env.TIMELINES_BASE_PORT);
      for (const port of [timelinesPort, timelinesPort + 1, timelinesPort + 2, Number(env.MONITOR_PORT)]) {
        await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
      }
    } finally {
      squatter.close();
      rmSync(varDir, { recursive: true, force: true });
    }
  }, 60_000);
});
