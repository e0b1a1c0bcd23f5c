import { ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, startTestTopology, tempDir } from '@app/testing';
import { ROOT, Topology } from '@app/topology';

interface Target {
  labels: { part: string };
  health: string;
}

/** Debian's Prometheus, with the scrape configuration kept in ops/, scraping the real processes. */
describe('metrics scraped by Prometheus', () => {
  const dir = tempDir('prometheus');
  let topology: Topology;
  let stop: () => Promise<void>;
  let prometheus: ChildProcess;
  let promUrl: string;

  const query = async (expr: string) => {
    const response = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
    return ((await response.json()) as { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } }).data.result;
  };

  beforeAll(async () => {
    ({ topology, stop } = await startTestTopology({ replicas: 2 }));
    copyFileSync(join(ROOT, 'ops/prometheus.yml'), join(dir.path, 'prometheus.yml'));
    const at = (port: number) => `127.0.0.1:${port}`;
    writeFileSync(
      join(dir.path, 'targets.json'),
      JSON.stringify([
        { targets: [at(topology.usersPort)], labels: { part: 'users' } },
        { targets: topology.timelinesPorts.map(at), labels: { part: 'timelines' } },
        { targets: [at(topology.monitorPort)], labels: { part: 'monitor' } },
        { targets: [at(topology.haproxyMetricsPort)], labels: { part: 'haproxy' } },
      ]),
    );
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      'prometheus',
      [`--config.file=${join(dir.path, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir.path, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
      { stdio: 'ignore' },
    );
  }, 60_000);

  afterAll(async () => {
    prometheus?.kill('SIGTERM');
    await stop?.();
    dir.remove();
  });

  it('scrapes every service replica and HAProxy, and sees a request in the latency histogram', async () => {
    for (let i = 0; i < 6; i++) expect((await fetch(`${topology.baseUrl}/timelines/public`)).status).toBe(200);
    let targets: Target[] = [];
    for (let i = 0; i < 300 && !(targets.length === 5 && targets.every((t) => t.health === 'up')); i++) {
      await sleep(100);
      try {
        targets = ((await (await fetch(`${promUrl}/api/v1/targets`)).json()) as { data: { activeTargets: Target[] } }).data.activeTargets;
      } catch {
        targets = [];
      }
    }
    expect(targets.map((t) => `${t.labels.part}:${t.health}`).sort()).toEqual(['haproxy:up', 'monitor:up', 'timelines:up', 'timelines:up', 'users:up']);

    let served: Array<{ metric: Record<string, string>; value: [number, string] }> = [];
    for (let i = 0; i < 100 && served.length < 2; i++) {
      await sleep(100);
      served = await query('http_request_duration_seconds_count{route="/timelines/public",method="GET",status="200"}');
    }
    expect(served.map((r) => r.metric.service).sort()).toEqual(['timelines-1', 'timelines-2']);
    expect(served.reduce((sum, r) => sum + Number(r.value[1]), 0)).toBeGreaterThanOrEqual(6);
    expect((await query('haproxy_frontend_http_requests_total{proxy="http"}')).length).toBe(1);
    expect((await query('users_client_circuit_state')).length).toBe(2);
    expect((await query('events_consumer_lag_seconds{stream="users"}')).length).toBeGreaterThanOrEqual(1);
    expect((await query('nodejs_heap_size_used_bytes')).length).toBe(4);
  }, 60_000);

  it('keeps /metrics off the public port', async () => {
    const response = await fetch(`${topology.baseUrl}/metrics`);
    expect(response.status).toBe(404);
    expect(response.headers.get('x-served-by')).toBe('haproxy');
  });
});
