import { DynamicModule, Module, Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController, READINESS_CHECKS, ReadinessCheck } from './health.controller';
import { ShutdownState } from './shutdown-state';

@Module({})
export class HealthModule {
  static forRoot(readinessChecks: Type<ReadinessCheck>[] = []): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
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
