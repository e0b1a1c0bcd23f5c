import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { SQL_STORE, SqlStore } from '@app/database';
import { ShutdownState } from './shutdown-state';

// Health routes are not part of the public API document, and documenting them would load
// @nestjs/swagger into every service (see @app/common's API decorators).
const NOT_DOCUMENTED = { noCache: true, swaggerDocumentation: false };

/** A further readiness check a service adds, e.g. timelines reporting whether users answers. */
export interface ReadinessCheck {
  check(): Promise<HealthIndicatorResult> | HealthIndicatorResult;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly shutdown: ShutdownState,
    @Inject(SQL_STORE) private readonly store: SqlStore,
    @Inject(READINESS_CHECKS) private readonly extraChecks: ReadinessCheck[],
  ) {}

  /** Liveness: the process answers. */
  @Get()
  @HealthCheck(NOT_DOCUMENTED)
  live() {
    return this.health.check([]);
  }

  /** Readiness: the database answers and the replica is not shutting down. */
  @Get('ready')
  @HealthCheck(NOT_DOCUMENTED)
  ready() {
    return this.health.check([
      () => {
        const indicator = this.indicators.check('lifecycle');
        return this.shutdown.draining ? indicator.down({ message: 'shutting down' }) : indicator.up();
      },
      async () => {
        const indicator = this.indicators.check('database');
        try {
          await this.store.ping();
          return indicator.up();
        } catch (error) {
          return indicator.down({ message: (error as Error).message });
        }
      },
      ...this.extraChecks.map((check) => () => check.check()),
    ]);
  }
}
