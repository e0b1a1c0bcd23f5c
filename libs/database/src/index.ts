export * from './database';
export * from './database.module';
export * from './migrations';
export * from './csv-import';
