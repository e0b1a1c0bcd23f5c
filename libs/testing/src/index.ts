import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamicModule } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import request, { Response } from 'supertest';
import { configureApp, createFastifyAdapter, createLogger } from '@app/common';
import { BaseConfig } from '@app/config';
import { freePort, Topology, TopologyOptions } from '@app/topology';

import { testPostgresDatabase } from './postgres';

export { freePort };
export * from './postgres';
export * from './redis';

/**
 * Runs `check` every 50 ms until it passes (returns anything but false without throwing);
 * after `timeoutMs` rethrows its last failure. Tests wait for conditions this way, never for fixed times.
 */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000): Promise<Exclude<T, false>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let failure: unknown;
    try {
      const result = await check();
      if (result !== false) return result as Exclude<T, false>;
      failure = new Error(`condition not met within ${timeoutMs} ms`);
    } catch (error) {
      failure = error;
    }
    if (Date.now() >= deadline) throw failure;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const TEST_SECRET = 'e2e-test-secret-0123456789abcdef';

export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `microblog-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** The whole native topology on free ports over fresh databases built from data/ (every service on PostgreSQL in a run on PostgreSQL). */
export async function startTestTopology(
  options: Partial<TopologyOptions> & { replicas?: number } = {},
): Promise<{ topology: Topology; stop: () => Promise<void>; logs: string[] }> {
  const dir = tempDir('topology');
  const replicas = options.replicas ?? 2;
  const timelinesPorts = await Promise.all(Array.from({ length: replicas }, () => freePort()));
  const logs: string[] = [];
  const usersDatabase = await testPostgresDatabase('users');
  const timelinesDatabase = await testPostgresDatabase('timelines');
  const monitorDatabase = await testPostgresDatabase('monitor');
  const dropDatabases = async () => {
    for (const database of [usersDatabase, timelinesDatabase, monitorDatabase]) await database?.drop();
  };
  const topology = new Topology({
    usersDatabaseUrl: usersDatabase?.url,
    timelinesDatabaseUrl: timelinesDatabase?.url,
    monitorDatabaseUrl: monitorDatabase?.url,
    httpPort: await freePort(),
    usersPort: await freePort(),
    timelinesPorts,
    monitorPort: await freePort(),
    haproxyMetricsPort: await freePort(),
    redisPort: await freePort(),
    varDir: dir.path,
    jwtSecret: TEST_SECRET,
    output: (line) => {
      logs.push(line);
      if (logs.length > 2000) logs.shift();
    },
    ...options,
    env: { LOG_LEVEL: 'warn', ...options.env },
  });
  try {
    await topology.start();
  } catch (error) {
    await topology.stop();
    dir.remove();
    await dropDatabases();
    throw new Error(`${(error as Error).message}\n${logs.slice(-40).join('\n')}`, { cause: error });
  }
  return {
    topology,
    logs,
    stop: async () => {
      await topology.stop();
      dir.remove();
      await dropDatabases();
    },
  };
}

/** Every response body seen, so a suite can check that no secret ever left the service. */
export class ResponseLog {
  readonly bodies: string[] = [];

  record = (response: Response): Response => {
    this.bodies.push(JSON.stringify(response.headers) + response.text);
    return response;
  };

  leaks(secrets: string[]): string[] {
    return this.bodies.filter((body) => secrets.some((secret) => body.includes(secret)) || body.includes('$scrypt$'));
  }
}

export function client(baseUrl: string, log?: ResponseLog) {
  const agent = request(baseUrl);
  const wrap = <T extends request.Test>(test: T): T => {
    if (log) test.on('response', (response: Response) => log.record(response));
    return test;
  };
  return {
    get: (path: string) => wrap(agent.get(path)),
    post: (path: string) => wrap(agent.post(path)),
    patch: (path: string) => wrap(agent.patch(path)),
    delete: (path: string) => wrap(agent.delete(path)),
    options: (path: string) => wrap(agent.options(path)),
  };
}

export type Client = ReturnType<typeof client>;

/** Follows `next` links from `path` until null; returns every item in order. */
export async function collectPages<T>(api: Client, path: string, key: string, headers: Record<string, string> = {}): Promise<T[]> {
  const items: T[] = [];
  let next: string | null = path;
  while (next) {
    const response: Response = await api.get(next).set(headers).expect(200);
    items.push(...(response.body[key] as T[]));
    next = response.body.next;
  }
  return items;
}

/**
 * An app as main.ts builds it (the same adapter and configureApp), from a testing module, so
 * a test can replace providers (`overrideProvider`) and still speak HTTP to the real routes.
 */
export async function createTestApp(
  module: DynamicModule,
  config: BaseConfig,
  override: (builder: TestingModuleBuilder) => TestingModuleBuilder = (builder) => builder,
): Promise<NestFastifyApplication> {
  const moduleRef = await override(Test.createTestingModule({ imports: [module] })).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(config, createLogger(config)), {
    bufferLogs: true,
  });
  configureApp(app, config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
