import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Ports handed out by this process already: each goes to one caller, even before it listens. */
const handedOut = new Set<number>();

/**
 * Where to choose ports: below the kernel's ephemeral range, from which every outgoing
 * connection takes its local port, so that none takes a chosen port before its server listens
 * (a replica of npm start's e2e suite once found its port held by one); null where the range
 * is unknown.
 */
function portsBelowEphemeral(): [from: number, to: number] | null {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return low > 12_000 ? [10_000, low] : null;
  } catch {
    return null;
  }
}

const RANGE = portsBelowEphemeral();

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function anyPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function candidate(): Promise<number> {
  if (!RANGE) return anyPort();
  const [from, to] = RANGE;
  return from + Math.floor(Math.random() * (to - from));
}

/** A TCP port free on loopback now, not handed out before (no imports of other libs: jest's global setup uses it too). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await candidate();
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if (await isFree(port)) return port;
    handedOut.delete(port);
  }
}

/** The first of `count` consecutive free ports (npm start's replicas listen on consecutive ones). */
export async function consecutiveFreePorts(count: number): Promise<number> {
  for (;;) {
    const first = await freePort();
    if (first + count > 65535) continue;
    const rest = Array.from({ length: count - 1 }, (_, i) => first + 1 + i);
    if (rest.some((port) => handedOut.has(port))) continue;
    for (const port of rest) handedOut.add(port);
    if ((await Promise.all(rest.map(isFree))).every(Boolean)) return first;
    for (const port of rest) handedOut.delete(port);
  }
}
