import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest, RawServerDefault } from 'fastify';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import fastifyMultipart from '@fastify/multipart';
import proxyaddr from 'proxy-addr';
import { BaseConfig, ConfigError, corsOrigins } from '@app/config';
import { setLinkHeader } from './link-header';
import { createLogger, PinoNestLogger, RequestLogController } from './logging';
import { badRequest, ProblemException } from './problem';
import { ProblemDetailsFilter } from './problem-details.filter';
import { createValidationPipe } from './validation';
import { metrics } from './metrics';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth';
import { isMastodonPath } from './mastodon/mastodon-error';
import { publicOrigin } from './mastodon/public-origin';

export const BODY_LIMIT_BYTES = 64 * 1024;
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Keeps a well-formed client X-Request-ID, replaces any other, and writes it back on the request. */
export function assignRequestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
  req.headers['x-request-id'] = id;
  return id;
}

/** Only the nearest hop may name the client, and only when it is a trusted proxy (HAProxy). */
export function trustNearestProxy(trusted: string): (address: string, hop: number) => boolean {
  const isTrusted = proxyaddr.compile(
    trusted
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  );
  return (address, hop) => hop === 0 && isTrusted(address, hop);
}

const MISSING_CONTENT_TYPE = 'a request body needs Content-Type: application/json or application/x-www-form-urlencoded';

const NATIVE_CONTENT_TYPES = 'Content-Type must be application/json or application/x-www-form-urlencoded';

function isMultipart(headers: IncomingHttpHeaders): boolean {
  return (headers['content-type'] ?? '').toLowerCase().startsWith('multipart/');
}

/** Fastify ignores a body sent without Content-Type; the contract refuses it with 415. */
function hasUntypedBody(headers: IncomingHttpHeaders): boolean {
  if (headers['content-type']) return false;
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
}

export function createFastifyAdapter(config: BaseConfig, logger: Logger): FastifyAdapter {
  return new FastifyAdapter({
    loggerInstance: logger,
    logController: new RequestLogController(),
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: trustNearestProxy(config.TRUSTED_PROXIES),
    genReqId: assignRequestId,
    requestIdHeader: false,
    // A draining replica still answers requests that arrive on open connections.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    // Longer than HAProxy keeps idle server connections, so HAProxy always closes first.
    keepAliveTimeout: 65_000,
  });
}

/** Everything a service's HTTP layer needs; main.ts and the e2e tests both go through it. */
export function configureApp(app: NestFastifyApplication, config: BaseConfig): NestFastifyApplication {
  const fastify = app.getHttpAdapter().getInstance();
  app.useLogger(new PinoNestLogger(fastify.log as Logger));
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  // CORS by @fastify/cors: listed origins get the headers, preflights a 204; any other
  // origin gets an answer without CORS headers, which a browser refuses to use.
  const allowed = new Set(corsOrigins(config));
  app.enableCors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-ID'],
    exposedHeaders: ['Link', 'Location', 'Retry-After', 'X-Request-ID', 'Idempotent-Replayed'],
    maxAge: 600,
    optionsSuccessStatus: 204,
  });
  // Bodies are JSON or form data only; Fastify would otherwise also take text/plain.
  fastify.removeContentTypeParser('text/plain');
  // JSON is measured for depth before it is parsed: class-transformer walks a body
  // recursively and would overflow the stack on a deeply nested one (a 500).
  const parseJson = fastify.getDefaultJsonParser('error', 'ignore');
  app.useBodyParser<RawServerDefault>('application/json', { bodyLimit: BODY_LIMIT_BYTES }, (request, body, done) => {
    const text = body.toString('utf8');
    // Mastodon's apps send `Content-Type: application/json` with no body on favourite, follow…
    if (text === '' && isMastodonPath(request.url)) return done(null, {});
    if (nestsDeeperThan(text)) return done(badRequest(`request body nests deeper than ${MAX_JSON_DEPTH} levels`), undefined);
    parseJson(request, text, done);
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('X-Served-By', config.SERVICE_NAME);
    reply.header('X-Request-ID', request.id);
    if (hasUntypedBody(request.headers)) return done(new ProblemException(415, MISSING_CONTENT_TYPE));
    // Multipart bodies are Mastodon's (its apps send them); the native API takes JSON and forms only.
    if (isMultipart(request.headers) && !isMastodonPath(request.url)) return done(new ProblemException(415, NATIVE_CONTENT_TYPES));
    done();
  });
  // The origin Mastodon's entities build their absolute URLs with (@PublicOrigin()).
  fastify.decorateRequest('publicOrigin', {
    getter(this: FastifyRequest) {
      return publicOrigin(this, config.PUBLIC_ORIGIN);
    },
  });
  // Mastodon's apps post forms as multipart too: its fields become the body, as a form's do.
  void app.register(fastifyMultipart as never, { attachFieldsToBody: 'keyValues', limits: { fileSize: BODY_LIMIT_BYTES, files: 4, fields: 100 } });
  metrics.instrument(fastify, config.SERVICE_NAME);
  // The last buffered log lines are written before a stopping process re-raises its signal.
  fastify.addHook('onClose', (_instance, done) => (fastify.log as Logger).flush(() => done()));
  fastify.addHook('preSerialization', (_request, reply, payload, done) => {
    setLinkHeader(reply, payload);
    done(null, payload);
  });
  return app;
}

export async function createApp(module: unknown, config: BaseConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    module as Parameters<typeof NestFactory.create>[0],
    createFastifyAdapter(config, createLogger(config)),
    { bufferLogs: true },
  );
  return configureApp(app, config);
}

/** main.ts of every service: validated config, the app, listening; a bad setting exits with its message. */
export function runService<C extends BaseConfig>(loadServiceConfig: () => C, createServiceApp: (config: C) => Promise<INestApplication>): void {
  const start = async () => {
    const config = loadServiceConfig();
    const app = await createServiceApp(config);
    await app.listen(config.PORT, config.HOST);
  };
  start().catch((error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  });
}
