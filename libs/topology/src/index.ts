export * from './paths';
export * from './free-port';
export * from './topology';
export * from './postgres-cluster';
