import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { JSON_CONTENT_TYPE } from './json-text';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem';
import { isMastodonPath, toMastodonError } from './mastodon/mastodon-error';

/**
 * Every error leaves as RFC 9457 problem+json, or under Mastodon's prefixes as Mastodon's
 * `{"error": …}`; only 5xx are logged, never with the request body.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const logServerError = (error: unknown) => this.logger.error({ err: error, reqId: request.id, url: request.url }, 'request failed');
    if (isMastodonPath(request.url)) sendMastodonError(reply, exception, request.url, logServerError);
    else sendProblem(reply, exception, logServerError);
  }
}

export function sendProblem(reply: FastifyReply, exception: unknown, logServerError: (error: unknown) => void): void {
  const { problem, headers } = toProblem(exception);
  // A deliberate 5xx (503 while users is down, readiness while draining) is no fault to log.
  if (problem.status >= 500 && !(exception instanceof HttpException)) logServerError(exception);
  if (reply.sent) return;
  reply.headers(headers).type(PROBLEM_CONTENT_TYPE).status(problem.status).send(problem);
}

export function sendMastodonError(reply: FastifyReply, exception: unknown, url: string, logServerError: (error: unknown) => void): void {
  const { status, body, headers } = toMastodonError(exception, url);
  if (status >= 500 && !(exception instanceof HttpException)) logServerError(exception);
  if (reply.sent) return;
  reply.headers(headers).type(JSON_CONTENT_TYPE).status(status).send(body);
}
