import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { EventBus, OutboxRelay } from '@app/events';
import { ReadinessCheck } from '@app/health';
import { UsersReadModel } from './users-read-model';

/** Reports the bus, the consumer's lag, the outbox backlog and why it cannot be published; degraded, never down (the replica still serves). */
@Injectable()
export class EventsReadinessCheck implements ReadinessCheck {
  constructor(
    private readonly bus: EventBus,
    private readonly model: UsersReadModel,
    private readonly relay: OutboxRelay,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check() {
    const indicator = this.indicators.check('events');
    const failure = this.relay.failure;
    const details = {
      bus: this.bus.up ? 'up' : 'down',
      consumers: [this.model.state()],
      outboxBacklog: this.relay.backlog(),
      ...(failure ? { publishing: failure } : {}),
    };
    return this.bus.up && this.model.healthy && !failure ? indicator.up(details) : indicator.degraded(details);
  }
}
