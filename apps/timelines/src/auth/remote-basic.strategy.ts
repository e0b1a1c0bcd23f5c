import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { AuthUser, BasicCredentialsStrategy } from '@app/auth';
import { TrustedCredentials } from '../user-directory/trusted-credentials';

/** HTTP Basic checked by the users service once, then trusted while its credentials version stands. */
@Injectable()
export class RemoteBasicStrategy extends PassportStrategy(BasicCredentialsStrategy, 'basic') {
  constructor(private readonly credentials: TrustedCredentials) {
    super({ passReqToCallback: true });
  }

  validate(request: FastifyRequest, username: string, password: string): Promise<AuthUser> {
    return this.credentials.verify(username, password, { clientAddress: request.ip, requestId: request.id });
  }
}
