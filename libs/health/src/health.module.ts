import { DynamicModule, Module, ModuleMetadata, Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController, READINESS_CHECKS, ReadinessCheck } from './health.controller';
import { ShutdownState } from './shutdown-state';

export interface HealthOptions {
  /** What /health/ready asks before it says ready. */
  checks?: Type<ReadinessCheck>[];
  /** The modules whose providers those checks read. */
  imports?: ModuleMetadata['imports'];
}

@Module({})
export class HealthModule {
  static forRoot({ checks: readinessChecks = [], imports = [] }: HealthOptions = {}): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false }), ...imports],
      controllers: [HealthController],
      providers: [
        ShutdownState,
        ...readinessChecks,
        {
          provide: READINESS_CHECKS,
          inject: readinessChecks,
          useFactory: (...checks: ReadinessCheck[]) => checks,
        },
      ],
    };
  }
}
