import { Module } from '@nestjs/common';
import { storeAdapter } from '@app/database';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IDEMPOTENCY_REPOSITORY } from './idempotency.repository';
import { IdempotencyService } from './idempotency.service';
import { PostgresIdempotencyRepository } from './postgres-idempotency.repository';
import { SqliteIdempotencyRepository } from './sqlite-idempotency.repository';

/** Idempotency keys for the routes marked @Idempotent() (the app's database needs the idempotency_records table). */
@Module({
  providers: [
    storeAdapter(IDEMPOTENCY_REPOSITORY, {
      sqlite: (store) => new SqliteIdempotencyRepository(store),
      postgres: (store) => new PostgresIdempotencyRepository(store),
    }),
    IdempotencyService,
    IdempotencyInterceptor,
  ],
  exports: [IdempotencyService, IdempotencyInterceptor],
})
export class IdempotencyModule {}
