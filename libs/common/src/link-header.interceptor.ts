import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map, Observable } from 'rxjs';

/** A list answer's `next` link is also sent as `Link: <…>; rel="next"`. */
@Injectable()
export class LinkHeaderInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((body: unknown) => {
        const nextLink = (body as { next?: unknown } | null)?.next;
        if (typeof nextLink === 'string') {
          context.switchToHttp().getResponse<FastifyReply>().header('Link', `<${nextLink}>; rel="next"`);
        }
        return body;
      }),
    );
  }
}
