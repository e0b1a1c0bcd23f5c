import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/**
 * The origin clients reach this system at, for the absolute URLs Mastodon's entities carry:
 * PUBLIC_ORIGIN when set, otherwise the scheme and Host the request came with (HAProxy
 * passes both on).
 */
export function publicOrigin(request: FastifyRequest, configured: string | undefined): string {
  return configured ?? `${request.protocol}://${request.host}`;
}

/** Set on every request by configureApp from the validated config. */
type RequestWithOrigin = FastifyRequest & { publicOrigin: string };

export const PublicOrigin = createParamDecorator(
  (_: unknown, context: ExecutionContext): string => context.switchToHttp().getRequest<RequestWithOrigin>().publicOrigin,
);
