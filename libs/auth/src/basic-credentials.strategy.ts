import type { Request } from 'express';
import { Strategy } from 'passport-strategy';

export type VerifyBasic = (request: unknown, username: string, password: string, done: (error: unknown, user?: unknown) => void) => void;

/**
 * HTTP Basic as RFC 7617 says: the user-id ends at the first colon, so a password may
 * contain colons (passport-http splits at every colon and would cut such a password short).
 * The text is read as UTF-8, as the challenge's charset="UTF-8" announces.
 */
export class BasicCredentialsStrategy extends Strategy {
  name = 'basic';

  constructor(
    private readonly options: { passReqToCallback?: boolean },
    private readonly verify: VerifyBasic,
  ) {
    super();
  }

  override authenticate(request: Request): void {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header) : null;
    if (!match) return this.fail(401);
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1) return this.fail(401);
    this.verify(request, decoded.slice(0, colon), decoded.slice(colon + 1), (error, user) => {
      if (error) return this.error(error as Error);
      if (!user) return this.fail(401);
      this.success(user as Express.User);
    });
  }
}
