import { HttpException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';

export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An HTTP error whose answer is a problem document, with any headers the status needs. */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
    readonly errors?: FieldError[],
  ) {
    super(detail, status);
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) => new ProblemException(400, detail, {}, errors);
export const forbidden = (detail: string) => new ProblemException(403, detail);
export const notFound = (detail: string) => new ProblemException(404, detail);
export const conflict = (detail: string) => new ProblemException(409, detail);
export const tooManyRequests = (detail: string, retryAfterSeconds: number) =>
  new ProblemException(429, detail, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
export const serviceUnavailable = (detail: string, retryAfterSeconds = 1) => new ProblemException(503, detail, { 'Retry-After': String(retryAfterSeconds) });

export function problem(status: number, detail: string, errors?: FieldError[]): ProblemDetails {
  const body: ProblemDetails = { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail };
  if (errors && errors.length > 0) body.errors = errors;
  return body;
}

/** What Fastify itself rejects before a route runs, told in the client's terms. */
const FRAMEWORK_ERRORS: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'request body is larger than 64 KiB',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Content-Type must be application/json or application/x-www-form-urlencoded',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length does not match the body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'request body is empty but Content-Type is application/json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'request body is not valid JSON',
};

function frameworkProblem(error: unknown): ProblemDetails | null {
  const { statusCode, code } = (error ?? {}) as { statusCode?: unknown; code?: unknown };
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return null;
  const known = typeof code === 'string' ? FRAMEWORK_ERRORS[code] : undefined;
  const detail = error instanceof SyntaxError ? FRAMEWORK_ERRORS.FST_ERR_CTP_INVALID_JSON_BODY : (known ?? STATUS_CODES[statusCode] ?? 'Bad Request');
  return problem(statusCode, detail);
}

/** Turns anything thrown while handling a request into the problem document the client gets. */
export function toProblem(error: unknown): { problem: ProblemDetails; headers: Record<string, string> } {
  if (error instanceof ProblemException) {
    return { problem: problem(error.getStatus(), error.detail, error.errors), headers: error.headers };
  }
  // Fastify's own rejections (body too large, bad JSON, media type) arrive wrapped by Nest.
  const framework = frameworkProblem(error instanceof HttpException ? error.cause : error);
  if (framework) return { problem: framework, headers: {} };
  if (error instanceof HttpException) {
    const response = error.getResponse();
    const message = typeof response === 'string' ? response : (response as { message?: string | string[] }).message;
    const detail = Array.isArray(message) ? message.join('; ') : (message ?? error.message);
    return { problem: problem(error.getStatus(), detail), headers: {} };
  }
  return { problem: problem(500, 'the server could not handle this request'), headers: {} };
}
