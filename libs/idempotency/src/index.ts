export * from './idempotency.interceptor';
export * from './idempotency.migration';
export * from './idempotency.module';
export * from './idempotency.repository';
export * from './idempotency.service';
export * from './sqlite-idempotency.repository';
export * from './postgres-idempotency.repository';
export * from './idempotent.decorator';
