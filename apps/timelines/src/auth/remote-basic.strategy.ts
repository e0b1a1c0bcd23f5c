import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { AuthUser, BasicCredentialsStrategy } from '@app/auth';
import { UsersClient } from '../users-client/users.client';

/** HTTP Basic checked by the users service (through the cache and the circuit breaker). */
@Injectable()
export class RemoteBasicStrategy extends PassportStrategy(BasicCredentialsStrategy, 'basic') {
  constructor(private readonly users: UsersClient) {
    super({ passReqToCallback: true });
  }

  validate(request: FastifyRequest, username: string, password: string): Promise<AuthUser> {
    return this.users.verifyBasic(username, password, { clientAddress: request.ip, requestId: request.id });
  }
}
