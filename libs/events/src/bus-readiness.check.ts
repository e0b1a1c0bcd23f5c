import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { EventBus } from './event-bus';
import { OutboxRelay } from './outbox-relay';

/** A producer's readiness detail: the bus and the events waiting in its outbox; degraded, never down. */
@Injectable()
export class BusReadinessCheck {
  constructor(
    private readonly bus: EventBus,
    private readonly relay: OutboxRelay,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check() {
    const indicator = this.indicators.check('events');
    const details = { bus: this.bus.up ? 'up' : 'down', outboxBacklog: this.relay.backlog() };
    return this.bus.up ? indicator.up(details) : indicator.degraded(details);
  }
}
