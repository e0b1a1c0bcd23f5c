export * from './paths';
export * from './topology';
export * from './postgres-cluster';
