import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { BasicCredentialsStrategy, unauthorized } from '@app/auth';

/**
 * The monitor never calls users and never sees a password hash, so it cannot check Basic
 * credentials: it takes Bearer tokens (checked locally), and says so to a Basic client.
 */
@Injectable()
export class BasicRefusedStrategy extends PassportStrategy(BasicCredentialsStrategy, 'basic') {
  constructor() {
    super({});
  }

  validate(): never {
    throw unauthorized('the monitor takes Bearer tokens: get one with POST /auth/token');
  }
}
