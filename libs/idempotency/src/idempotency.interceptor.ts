import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { catchError, from, lastValueFrom, Observable, of } from 'rxjs';
import { badRequest, faultPoint, isMastodonPath, JSON_CONTENT_TYPE, PROBLEM_CONTENT_TYPE, toMastodonError, toProblem } from '@app/common';
import { BaseConfig } from '@app/config';
import { IdempotencyService } from './idempotency.service';

/** 1 to 255 visible ASCII characters, as the contract says. */
const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` on every POST route. It runs after the guards (a key belongs to the
 * user who sent it: 401 comes first) and around the pipes and the handler, so a validation
 * 400 or a 404 is kept and replayed like a success; a 5xx is not kept, so it can be retried.
 * A success's answer is committed in the transaction of its effect (IdempotencyService.applyOnce).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly config: BaseConfig,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: { id: number } }>();
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined) return next.handle();
    if (typeof key !== 'string' || !KEY.test(key)) throw badRequest('Idempotency-Key must be 1 to 255 visible ASCII characters');

    // POST /users has no user yet: there the key alone names the request.
    const scope = request.user ? `user:${request.user.id}` : 'anonymous';
    const path = request.url.split('?', 1)[0];
    const fingerprint = createHash('sha256')
      .update(`POST ${path}\n${JSON.stringify(request.body ?? null)}`)
      .digest('base64url');
    const reply = context.switchToHttp().getResponse<FastifyReply>();

    const replay = await this.idempotency.begin(scope, key, fingerprint);
    if (replay) {
      reply.status(replay.status!).header('Idempotent-Replayed', 'true').type(replay.content_type!);
      if (replay.location) reply.header('Location', replay.location);
      return of(JSON.parse(replay.body!));
    }
    // The handler runs inside the transaction that keeps its answer; a repeat that arrives once
    // it has committed is replayed.
    const applied = this.idempotency.applyOnce(scope, key, async () => {
      const body: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
      faultPoint(this.config.FAULT_INJECTION, request.headers, 'idempotent-before-commit');
      const location = reply.getHeader('location');
      const answer = {
        status: reply.statusCode,
        contentType: JSON_CONTENT_TYPE,
        location: typeof location === 'string' ? location : null,
        body: JSON.stringify(body ?? null),
      };
      return { result: body, answer };
    });
    return from(
      applied.then((body) => {
        faultPoint(this.config.FAULT_INJECTION, request.headers, 'idempotent-after-commit');
        return body;
      }),
    ).pipe(
      catchError((error: unknown) =>
        from(
          (async () => {
            const { problem } = toProblem(error);
            if (problem.status < 500) {
              // Replayed as it was first answered: Mastodon's {"error"} under its prefixes.
              const body = isMastodonPath(path) ? toMastodonError(error, path).body : problem;
              await this.idempotency.complete(scope, key, {
                status: problem.status,
                contentType: isMastodonPath(path) ? JSON_CONTENT_TYPE : PROBLEM_CONTENT_TYPE,
                location: null,
                body: JSON.stringify(body),
              });
            } else {
              await this.idempotency.abandon(scope, key);
            }
            throw error;
          })(),
        ),
      ),
    );
  }
}
