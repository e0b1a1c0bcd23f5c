import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IDEMPOTENCY_REPOSITORY } from './idempotency.repository';
import { IdempotencyService } from './idempotency.service';
import { SqliteIdempotencyRepository } from './sqlite-idempotency.repository';

/** Idempotency keys for every POST route of the app that imports it (its database needs IDEMPOTENCY_RECORDS_SQL). */
@Module({
  providers: [
    { provide: IDEMPOTENCY_REPOSITORY, useClass: SqliteIdempotencyRepository },
    IdempotencyService,
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
})
export class IdempotencyModule {}
