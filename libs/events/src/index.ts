export * from './domain-event';
export * from './event-bus';
export * from './event-consumer';
export * from './events.module';
export * from './outbox';
export * from './outbox-relay';
export * from './consumer-positions';
export * from './bus-readiness.check';
