export * from './paths';
export * from './topology';
