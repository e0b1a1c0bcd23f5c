import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { EventBus } from './event-bus';
import { OutboxRelay } from './outbox-relay';

/** What a producer's readiness says of its events: the bus, the backlog, why it cannot publish; and whether all is well. */
export function publishingState(bus: EventBus, relay: OutboxRelay) {
  const failure = relay.failure;
  const details = { bus: bus.up ? 'up' : 'down', outboxBacklog: relay.backlog(), ...(failure ? { publishing: failure } : {}) };
  return { details, ok: bus.up && !failure };
}

/** A producer's readiness detail: the bus, the events waiting in its outbox, why they cannot be published; degraded, never down. */
@Injectable()
export class BusReadinessCheck {
  constructor(
    private readonly bus: EventBus,
    private readonly relay: OutboxRelay,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check() {
    const indicator = this.indicators.check('events');
    const { details, ok } = publishingState(this.bus, this.relay);
    return ok ? indicator.up(details) : indicator.degraded(details);
  }
}
