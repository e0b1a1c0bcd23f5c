import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port';
import { entryPoint, ROOT } from './paths';
import {
  nativeBackendsConfig,
  redisAnswers,
  redisBinary,
  redisProcessId,
  redisServerArgs,
  serversUp,
  SERVICE_MALLOC_ENV,
  SERVICE_NODE_OPTIONS,
  SERVICE_V8_FLAGS,
  Topology,
} from './topology';

describe('nativeBackendsConfig', () => {
  it('names one server per replica on its port, health-checked on /health/ready', () => {
    const config = nativeBackendsConfig(5000, [5100, 5101, 5102], 5200);
    expect(config).toContain('server users-1 127.0.0.1:5000 check');
    expect(config.match(/server timelines-\d+ 127\.0\.0\.1:\d+ check/g)).toEqual([
      'server timelines-1 127.0.0.1:5100 check',
      'server timelines-2 127.0.0.1:5101 check',
      'server timelines-3 127.0.0.1:5102 check',
    ]);
    expect(config).toContain('http-check send meth GET uri /health/ready');
    expect(config).toContain('balance roundrobin');
    expect(config).toContain('server monitor-1 127.0.0.1:5200 check');
  });
});

describe('the services’ memory settings', () => {
  it('are the same in the image as under npm start', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`NODE_OPTIONS="${SERVICE_NODE_OPTIONS}"`);
    for (const [name, value] of Object.entries(SERVICE_MALLOC_ENV)) expect(dockerfile).toMatch(new RegExp(`^ENV .*\\b${name}=${value}\\b`, 'm'));
  });
});

describe('how the services are started', () => {
  it('through run-service, which sets the services’ V8 flags before it loads one', () => {
    const varDir = mkdtempSync(join(tmpdir(), 'topology-commands-'));
    try {
      const topology = new Topology({ httpPort: 8080, varDir, jwtSecret: 'topology-spec-secret-0123456789' });
      const services = { 'users-1': 'users', 'timelines-1': 'timelines', 'timelines-3': 'timelines', 'monitor-1': 'monitor' };
      for (const [name, service] of Object.entries(services))
        expect(topology.commandLine(name)).toEqual([process.execPath, entryPoint('run-service'), service]);
      const runService = readFileSync(join(ROOT, 'scripts/run-service.ts'), 'utf8');
      expect(runService.indexOf('setFlagsFromString(flag)')).toBeGreaterThan(0);
      expect(runService.indexOf('setFlagsFromString(flag)')).toBeLessThan(runService.indexOf('require(entryPoint(name))'));
      expect(SERVICE_V8_FLAGS).toEqual(['--flush-baseline-code', '--heap-growing-percent=20']);
      // Each is a flag this Node's V8 knows: set at run time, an unknown one is ignored after a line on stderr.
      for (const flag of SERVICE_V8_FLAGS) expect(execFileSync(process.execPath, [flag, '-e', '0'], { encoding: 'utf8', stdio: 'pipe' })).toBe('');
    } finally {
      rmSync(varDir, { recursive: true, force: true });
    }
  });
});

describe('serversUp', () => {
  it('lists the servers whose UP state is 1 in HAProxy’s exposition, and no other', () => {
    const exposition = [
      '# TYPE haproxy_server_status gauge',
      'haproxy_server_status{proxy="users",server="users-1",state="DOWN"} 0',
      'haproxy_server_status{proxy="users",server="users-1",state="UP"} 1',
      'haproxy_server_status{proxy="timelines",server="timelines-1",state="UP"} 0',
      'haproxy_server_status{proxy="timelines",server="timelines-1",state="DOWN"} 1',
      'haproxy_server_status{proxy="timelines",server="timelines-2",state="UP"} 1',
      'haproxy_server_status{proxy="monitor",server="monitor-1",state="MAINT"} 1',
    ].join('\n');
    expect([...serversUp(exposition)]).toEqual(['users/users-1', 'timelines/timelines-2']);
    expect(serversUp('').size).toBe(0);
  });
});

describe('the topology’s own Redis', () => {
  it('refuses a port on which another Redis answers, rather than using it', async () => {
    const port = await freePort();
    const stranger = spawn(redisBinary() ?? 'redis-server', redisServerArgs(port), { stdio: 'ignore' });
    const varDir = mkdtempSync(join(tmpdir(), 'microblog-topology-redis-'));
    try {
      while (!(await redisAnswers(port))) await sleep(50);
      expect(await redisProcessId(port)).toBe(stranger.pid);
      const topology = new Topology({ httpPort: await freePort(), redisPort: port, varDir, jwtSecret: 'topology-spec-secret-0123456789' });
      mkdirSync(join(varDir, 'redis'), { recursive: true });
      topology.launch('redis');
      await expect(topology.waitReady('redis', 5000)).rejects.toThrow(`another Redis (pid ${stranger.pid}) answers on port ${port}`);
      // The topology's Redis cannot bind the port and exits; why is in its own log.
      const own = topology.process('redis');
      if (own && own.exitCode === null) await new Promise((exited) => own.once('exit', exited));
      await expect(topology.waitReady('redis', 1000)).rejects.toThrow(`redis exited while starting (its log: ${join(varDir, 'redis', 'redis.log')})`);
      expect(readFileSync(join(varDir, 'redis', 'redis.log'), 'utf8')).toContain('Address already in use');
      await topology.stop();
    } finally {
      stranger.kill('SIGKILL');
      rmSync(varDir, { recursive: true, force: true });
    }
  });
});
