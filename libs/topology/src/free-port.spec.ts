import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { consecutiveFreePorts, freePort } from './free-port';

const listenable = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

describe('freePort', () => {
  it('hands out ports that are free, each once, below the range the kernel gives outgoing connections', async () => {
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    expect(new Set(ports).size).toBe(20);
    for (const port of ports) expect(await listenable(port)).toBe(true);
    const [ephemeralLow] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    for (const port of ports) expect(port).toBeLessThan(ephemeralLow);
  });

  it('hands out consecutive free ports that no other call gets', async () => {
    const first = await consecutiveFreePorts(3);
    const others = await Promise.all(Array.from({ length: 50 }, () => freePort()));
    for (const port of [first, first + 1, first + 2]) {
      expect(await listenable(port)).toBe(true);
      expect(others).not.toContain(port);
    }
  });
});
