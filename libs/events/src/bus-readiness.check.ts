import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { EventBus } from './event-bus';
import { OutboxRelay } from './outbox-relay';

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
    const failure = this.relay.failure;
    const details = { bus: this.bus.up ? 'up' : 'down', outboxBacklog: this.relay.backlog(), ...(failure ? { publishing: failure } : {}) };
    return this.bus.up && !failure ? indicator.up(details) : indicator.degraded(details);
  }
}
