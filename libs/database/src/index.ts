export * from './database';
export * from './database.module';
export * from './migrations';
export * from './sql-store';
export * from './sqlite-store';
export * from './postgres-store';
export * from './postgres-migrations';
export type { Tx } from './write-scope';
