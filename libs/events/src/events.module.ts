import { DynamicModule, Global, Module } from '@nestjs/common';
import { storeAdapter } from '@app/database';
import { EventBus } from './event-bus';
import { OUTBOX, PostgresOutbox, SqliteOutbox } from './outbox';
import { OutboxRelay, RELAY_STREAM } from './outbox-relay';

/**
 * The event bus for a service; with `publishes`, also its outbox and the relay that
 * publishes it to that stream. Consumers are the service's own providers.
 */
@Global()
@Module({})
export class EventsModule {
  static forRoot(options: { publishes?: string } = {}): DynamicModule {
    const producer = options.publishes
      ? [
          storeAdapter(OUTBOX, { sqlite: (store) => new SqliteOutbox(store), postgres: (store) => new PostgresOutbox(store) }),
          { provide: RELAY_STREAM, useValue: options.publishes },
          OutboxRelay,
        ]
      : [];
    return {
      module: EventsModule,
      providers: [EventBus, ...producer],
      exports: [EventBus, ...(options.publishes ? [OUTBOX, OutboxRelay] : [])],
    };
  }
}
