import SwaggerParser from '@apidevtools/swagger-parser';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamicModule, Logger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { OpenAPIObject } from '@nestjs/swagger';
import { configureApp, createFastifyAdapter, createLogger, describeApi, mergeApiDocuments } from '@app/common';
import { BaseConfig } from '@app/config';
import { describedApps } from '../scripts/described-apps';
import { NO_BUS_URL } from '@app/testing';

const ENV = { DATABASE_PATH: ':memory:', LOG_LEVEL: 'silent', REDIS_URL: NO_BUS_URL };
const PUBLIC = /^\/(users|auth|posts|timelines|monitor|api|oauth|\.well-known|nodeinfo)(\/|$)/;
const MASTODON = /^\/(api|oauth|\.well-known|nodeinfo)\//;
const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);

/** An app as main.ts builds it, with every route Fastify registers recorded as it is. */
async function appWithRoutes(module: DynamicModule, config: BaseConfig): Promise<{ app: NestFastifyApplication; routes: Set<string> }> {
  const routes = new Set<string>();
  const moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(config, createLogger(config)));
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      const url = route.url.replace(/:(\w+)/g, '{$1}');
      for (const method of [route.method].flat()) if (METHODS.has(method) && PUBLIC.test(url)) routes.add(`${method} ${url}`);
    });
  configureApp(app, config);
  await app.init();
  return { app, routes };
}

describe('the OpenAPI document', () => {
  let document: OpenAPIObject;
  const served = new Set<string>();

  beforeAll(async () => {
    Logger.overrideLogger(false);
    const parts: OpenAPIObject[] = [];
    for (const { name, module, config } of describedApps(ENV)) {
      const { app, routes } = await appWithRoutes(module, config);
      routes.forEach((route) => served.add(route));
      parts.push(describeApi(app, name));
      await app.close();
    }
    document = mergeApiDocuments(parts);
  }, 60_000);

  interface Operation {
    parameters?: Array<{ in: string; name: string }>;
    responses: Record<string, { content?: Record<string, { schema?: unknown; example?: { status?: number } }> }>;
    security?: unknown[];
  }
  /** Every operation of the document, with its method and path. */
  const operations = () =>
    Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item as Record<string, Operation>)
        .filter(([method]) => METHODS.has(method.toUpperCase()))
        .map(([method, operation]) => ({ method, path, operation })),
    );
  const documented = () => new Set(operations().map(({ method, path }) => `${method.toUpperCase()} ${path}`));

  it('lists exactly the routes the services serve on port 80', () => {
    expect(served.size).toBeGreaterThan(20);
    expect([...documented()].sort()).toEqual([...served].sort());
  });

  it('describes each route’s answers with a body schema, problems as problem+json, credentials where needed', () => {
    for (const { method, path, operation } of operations()) {
      const statuses = Object.keys(operation.responses);
      expect(statuses.some((s) => s.startsWith('2'))).toBe(true);
      for (const [status, response] of Object.entries(operation.responses)) {
        if (status === '204' || status.startsWith('3')) continue;
        const [type] = Object.keys(response.content ?? {});
        // Mastodon's routes answer errors as Mastodon does: {"error": …} as application/json (pages as HTML).
        const errorType = MASTODON.test(path) ? /: (application\/json|text\/html)$/ : /: application\/problem\+json$/;
        expect(`${method} ${path} ${status}: ${type}`).toMatch(
          status.startsWith('2') ? /: (application\/json|text\/html|image\/png|application\/javascript)$/ : errorType,
        );
        expect(response.content![type].schema).toBeDefined();
      }
      // A 401 asks for credentials, except the sign-in page's (the form itself takes them).
      if (statuses.includes('401') && !operation.responses['401'].content?.['text/html']) expect(operation.security?.length).toBeGreaterThan(0);
    }
    expect(document.components?.securitySchemes).toEqual(expect.objectContaining({ basic: expect.any(Object), bearer: expect.any(Object) }));
    const headersOf = (path: string, method: 'get' | 'post', status: string) =>
      (document.paths[path]?.[method]?.responses[status] as { headers?: object }).headers;
    expect(headersOf('/posts', 'post', '201')).toHaveProperty('Location');
    expect(headersOf('/timelines/public', 'get', '200')).toHaveProperty('Link');
    expect(headersOf('/users', 'post', '201')).toHaveProperty('Location');
  });

  it('declares exactly the path parameters each path has (Swagger UI asks for every declared one)', () => {
    const mismatched: string[] = [];
    for (const { method, path, operation } of operations()) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      const declared = (operation.parameters ?? [])
        .filter((parameter) => parameter.in === 'path')
        .map((parameter) => parameter.name)
        .sort();
      if (JSON.stringify(declared) !== JSON.stringify(inPath)) mismatched.push(`${method.toUpperCase()} ${path}: declares [${declared}], path has [${inPath}]`);
    }
    expect(mismatched).toEqual([]);
  });

  it('gives every error answer an example of its own status', () => {
    const wrong: string[] = [];
    for (const { method, path, operation } of operations()) {
      for (const [status, response] of Object.entries(operation.responses)) {
        const problem = response.content?.['application/problem+json'];
        if (problem && problem.example?.status !== Number(status))
          wrong.push(`${method.toUpperCase()} ${path} ${status}: example status ${problem.example?.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('passes the OpenAPI validator (@apidevtools/swagger-parser)', async () => {
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('says for every operation which credentials it takes, none as security: []', () => {
    const unstated = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { security?: unknown[] }>)
        .filter(([, operation]) => !Array.isArray(operation.security))
        .map(([method]) => `${method} ${path}`),
    );
    expect(unstated).toEqual([]);
  });

  it("passes Redocly's recommended rules (redocly.yaml) with no error and no warning", () => {
    const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(document));
      const result = spawnSync(process.execPath, [require.resolve('@redocly/cli/bin/cli.js'), 'lint', file, '--format=json'], {
        cwd: join(__dirname, '..'),
        encoding: 'utf8',
      });
      const report = JSON.parse(result.stdout) as { totals: { errors: number; warnings: number }; problems: Array<{ ruleId: string; message: string }> };
      expect(report.problems.map((problem) => `${problem.ruleId}: ${problem.message}`)).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
