export * from './csv-import';
