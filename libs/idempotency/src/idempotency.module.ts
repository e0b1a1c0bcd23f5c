import { Module } from '@nestjs/common';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IDEMPOTENCY_REPOSITORY } from './idempotency.repository';
import { IdempotencyService } from './idempotency.service';
import { SqliteIdempotencyRepository } from './sqlite-idempotency.repository';

/** Idempotency keys for the routes marked @Idempotent() (the app's database needs IDEMPOTENCY_RECORDS_SQL). */
@Module({
  providers: [
    { provide: IDEMPOTENCY_REPOSITORY, useClass: SqliteIdempotencyRepository },
    IdempotencyService,
    IdempotencyInterceptor,
  ],
  exports: [IdempotencyService, IdempotencyInterceptor],
})
export class IdempotencyModule {}
