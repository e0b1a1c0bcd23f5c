import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ReadinessCheck } from '@app/health';
import { UsersClient } from './users.client';

/**
 * Users being down makes a replica degraded, not unready: it still serves the public
 * timeline and single posts, so HAProxy must keep sending it traffic.
 */
@Injectable()
export class UsersReachabilityCheck implements ReadinessCheck {
  constructor(
    private readonly users: UsersClient,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check() {
    const indicator = this.indicators.check('users');
    return this.users.reachable ? indicator.up() : indicator.degraded({ message: 'users service unreachable' });
  }
}
