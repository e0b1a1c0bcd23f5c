import { createServer } from 'node:net';

/** A TCP port free on loopback now (no imports of other libs: jest's global setup uses it too). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The first of `count` consecutive free ports (npm start's replicas listen on consecutive ones). */
export async function consecutiveFreePorts(count: number): Promise<number> {
  for (;;) {
    const first = await freePort();
    if (first + count > 65535) continue;
    let free = true;
    for (let i = 1; i < count && free; i++) free = await isFree(first + i);
    if (free) return first;
  }
}
