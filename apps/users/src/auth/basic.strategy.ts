import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { AuthUser, BasicCredentialsStrategy } from '@app/auth';
import { AuthService } from './auth.service';

/** HTTP Basic checked against this service's own password hashes. */
@Injectable()
export class BasicStrategy extends PassportStrategy(BasicCredentialsStrategy, 'basic') {
  constructor(private readonly auth: AuthService) {
    super({ passReqToCallback: true });
  }

  validate(request: FastifyRequest, username: string, password: string): Promise<AuthUser> {
    return this.auth.verifyPassword(username, password, request.ip);
  }
}
