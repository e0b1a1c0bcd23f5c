import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, redisAnswers, redisBinary, redisServerArgs } from '@app/topology';

export interface TestRedis {
  url: string;
  port: number;
  stop: () => Promise<void>;
}

/**
 * A throwaway Redis of a suite's own (no persistence, a free port): a suite never publishes
 * to, or reads from, a bus it did not start, such as the one `npm start` runs on 6379.
 */
export async function startTestRedis(): Promise<TestRedis> {
  const port = await freePort();
  const child = spawn(redisBinary() ?? 'redis-server', redisServerArgs(port), { stdio: 'ignore' });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  for (let i = 0; !(await redisAnswers(port)); i++) {
    if (child.exitCode !== null || i > 100) throw new Error(`redis-server did not start on port ${port}`);
    await sleep(50);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * For a suite that runs a service without a bus, on purpose: nothing listens on port 1, so its
 * relay and consumers wait, and it answers from its database and its users client alone.
 */
export const NO_BUS_URL = 'redis://127.0.0.1:1';
