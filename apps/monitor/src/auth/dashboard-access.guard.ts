import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CredentialsGuard } from '@app/auth';
import { AdminGuard } from './admin.guard';

/** Set on a request for the dashboard that came without credentials: it gets the sign-in page. */
export type DashboardRequest = FastifyRequest & { signInPage?: boolean };

/**
 * The dashboard's door: a browser without credentials gets the sign-in page; anything that
 * brings credentials goes through the same checks as the figures (a Bearer token of an admin,
 * by the role the monitor knows now).
 */
@Injectable()
export class DashboardAccessGuard implements CanActivate {
  constructor(
    private readonly credentials: CredentialsGuard,
    private readonly admin: AdminGuard,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<DashboardRequest>();
    const query = request.query as Record<string, unknown> | undefined;
    if (request.headers.authorization === undefined && query?.access_token === undefined) {
      request.signInPage = true;
      return true;
    }
    return (await this.credentials.canActivate(context)) && this.admin.canActivate(context);
  }
}
