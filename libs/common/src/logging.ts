import { LoggerService } from '@nestjs/common';
import { FastifyReply, FastifyRequest, LogController } from 'fastify';
import pino, { Logger } from 'pino';
import { BaseConfig } from '@app/config';

/**
 * JSON lines go to stdout (or a file a test names) in writes of 2-3 KB, and at least every
 * 200 ms: one write(2) per request line took 5% of a replica's CPU composing posts. The writes
 * are synchronous: handing each batch to libuv's thread pool (sync: false) cost twice as much
 * as writing it (the public page served 8,024 requests/s against 8,537-8,606 with synchronous
 * batches, 9,433-9,533 without request lines; docs/benchmarks.md). A batch (2 KB and the line
 * that passed it) stays under PIPE_BUF (4 KB) unless that line is itself longer than 2 KB, so
 * when npm start's processes share one pipe their writes do not interleave mid-line. pino writes what is buffered when the process exits, and the apps when they close
 * (logger.flush); a SIGKILL loses at most the last 200 ms of lines.
 */
const BUFFERED = { sync: true, minLength: 2048, periodicFlush: 200 };
const STDOUT = 1;

/**
 * One pino logger per process, shared by Fastify (one line per request, keyed by the
 * X-Request-ID) and by Nest (start-up and error messages). Log lines never carry headers or
 * bodies, and URLs only with their credential parameters redacted (loggableUrl), so no
 * credential can reach them.
 *
 * Requests are logged by Fastify's own log controller rather than with nestjs-pino's
 * pino-http middleware: on Nest 12's Fastify adapter that middleware runs through middie and
 * an AsyncLocalStorage per request, which cost about 10% of a replica's throughput here.
 */
export function createLogger(config: BaseConfig, destination: number | string = STDOUT): Logger {
  // Every line's `url` (the request line's, an error's) loses its credential parameters here, once.
  const options = { level: config.LOG_LEVEL, name: config.SERVICE_NAME, base: { pid: process.pid }, serializers: { url: loggableUrl } };
  if (config.LOG_FORMAT !== 'pretty') return pino(options, pino.destination({ ...BUFFERED, dest: destination }));
  // For a person at a terminal: one coloured line per entry, the request's essentials first.
  // Loaded only here, so a process logging JSON (production) does not hold it (1 MB of heap).
  const pinoPretty = require('pino-pretty') as typeof import('pino-pretty');
  return pino(
    options,
    pinoPretty({
      colorize: true,
      sync: true,
      singleLine: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,name,method,url,statusCode,responseTime,context',
      // The process's name first: npm start's processes share one terminal.
      messageFormat: (log, messageKey) =>
        `${String(log.name).padEnd(12)} ` +
        (log.statusCode === undefined
          ? `${log.context ? `[${String(log.context)}] ` : ''}${String(log[messageKey])}`
          : `${String(log.method)} ${String(log.url)} ${String(log.statusCode)} ${String(log.responseTime)} ms`),
    }),
  );
}

/**
 * Query parameters that carry a credential (a Bearer token in `access_token`, as RFC 6750
 * allows and browsers need for a page, an OAuth code or secret): their values never reach a log.
 */
const CREDENTIAL_PARAMETERS = /([?&](?:access_token|token|code|client_secret|password|refresh_token|id_token)=)[^&#]*/gi;

/** A request's URL as a log may show it: credential parameters' values replaced by `[REDACTED]`. */
export function loggableUrl(url: string): string {
  return url.includes('?') ? url.replace(CREDENTIAL_PARAMETERS, '$1[REDACTED]') : url;
}

/** Nest's start-up chatter (a line per module and route, "started"), kept for LOG_LEVEL=debug; Fastify's "listening at" says it once. */
const START_UP_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

/** Nest's LoggerService on top of pino: the last string argument is Nest's context. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]) {
    const context = params[params.length - 1];
    this.write(typeof context === 'string' && START_UP_CONTEXTS.has(context) ? 'debug' : 'info', message, params);
  }
  error(message: unknown, ...params: unknown[]) {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]) {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]) {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]) {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]) {
    this.write('fatal', message, params);
  }

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, params: unknown[]) {
    const rest = [...params];
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    if (message instanceof Error) {
      this.logger[level]({ context, err: message }, message.message);
    } else if (message !== null && typeof message === 'object') {
      this.logger[level]({ context, ...message }, rest.filter((p) => typeof p === 'string').join(' '));
    } else {
      this.logger[level]({ context }, String(message));
    }
  }
}

/** One line per request, when it completes, at a level that follows its status; none for health checks. */
export class RequestLogController extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'reqId', disableRequestLogging: (request) => request.url.startsWith('/health') });
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    const statusCode = reply.statusCode;
    const level = error || statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'info';
    const line = { method: request.method, url: request.url, statusCode, responseTime: Math.round(reply.elapsedTime) };
    request.log[level](error ? { ...line, err: error } : line, 'request completed');
  }
}
