/**
 * The benchmark's two floors, running side by side on the same three floor servers
 * (bench/floor-server.ts: bare node:http and better-sqlite3 answering the public page):
 *
 * - bare: behind an HAProxy that only round-robins (no logs, no checks, no rules);
 * - edge: behind the system's own haproxy/haproxy.cfg (its rules, request ids, access log
 *   and health checks), the floor servers standing in for the timelines replicas.
 *
 * They have no users process, Redis or monitor of their own.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { answers, entryPoint, freePort, haproxyBinary, nativeBackendsConfig, ROOT } from '@app/topology';

export interface Floors {
  bareUrl: string;
  edgeUrl: string;
  stop: () => Promise<void>;
}

function bareConfig(port: number, floorPorts: number[]): string {
  return [
    '# The bare floor: round-robin to the floor servers, nothing else (written by bench/floors.ts).',
    'global',
    '    maxconn 4096',
    // As the system's haproxy.cfg: on this machine one thread serves the floor faster too.
    '    nbthread 1',
    'defaults',
    '    mode http',
    '    timeout connect 2s',
    '    timeout client 30s',
    '    timeout server 15s',
    'frontend bare',
    `    bind 127.0.0.1:${port}`,
    '    default_backend floor',
    'backend floor',
    '    balance roundrobin',
    ...floorPorts.map((floorPort, i) => `    server floor-${i + 1} 127.0.0.1:${floorPort}`),
    '',
  ].join('\n');
}

/** Starts three floor servers on a copy of the timelines database at `dbPath`, and the two HAProxies in front. */
export async function startFloors(dir: string, dbPath: string): Promise<Floors> {
  mkdirSync(dir, { recursive: true });
  const children: ChildProcess[] = [];
  const floorPorts = [await freePort(), await freePort(), await freePort()];
  floorPorts.forEach((port, i) =>
    children.push(
      spawn(process.execPath, [entryPoint('floor-server')], {
        env: { ...process.env, PORT: String(port), DATABASE_PATH: dbPath, SERVICE_NAME: `floor-${i + 1}` },
        stdio: 'ignore',
      }),
    ),
  );
  const barePort = await freePort();
  const edgePort = await freePort();
  writeFileSync(join(dir, 'bare.cfg'), bareConfig(barePort, floorPorts));
  // users and the monitor are not there: the edge's checks find them down, as they would.
  writeFileSync(join(dir, 'edge-backends.cfg'), nativeBackendsConfig(await freePort(), floorPorts, await freePort()));
  const haproxy = haproxyBinary() ?? 'haproxy';
  // The edge's access log goes to a file, as npm start's goes to wherever its output goes.
  const edgeLog = openSync(join(dir, 'edge-haproxy.log'), 'w');
  children.push(spawn(haproxy, ['-db', '-f', join(dir, 'bare.cfg')], { stdio: 'ignore' }));
  children.push(
    spawn(haproxy, ['-db', '-f', join(ROOT, 'haproxy/haproxy.cfg'), '-f', join(dir, 'edge-backends.cfg')], {
      env: { ...process.env, HTTP_PORT: String(edgePort), HAPROXY_METRICS_ADDR: `127.0.0.1:${await freePort()}` },
      stdio: ['ignore', edgeLog, edgeLog],
    }),
  );
  const bareUrl = `http://127.0.0.1:${barePort}`;
  const edgeUrl = `http://127.0.0.1:${edgePort}`;
  const stop = async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await sleep(300);
  };
  for (let i = 0; i < 100; i++) {
    // The edge routes once its checks have found each floor server up (two checks, a second apart).
    const served = new Set<string>();
    for (let n = 0; n < 9; n++) {
      const response = await fetch(`${edgeUrl}/timelines/public`).catch(() => null);
      if (response?.ok) served.add(response.headers.get('x-served-by') ?? '');
      await response?.arrayBuffer();
    }
    if (served.size === floorPorts.length && (await answers(`${bareUrl}/timelines/public`))) return { bareUrl, edgeUrl, stop };
    await sleep(200);
  }
  await stop();
  throw new Error('the floors did not answer within 20 s');
}
