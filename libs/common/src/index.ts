export * from './configure-app';
export * from './core.module';
export * from './link-header.interceptor';
export * from './pagination';
export * from './problem';
export * from './problem-details.filter';
export * from './text.validator';
export * from './validation';
