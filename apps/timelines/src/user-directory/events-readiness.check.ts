import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { EventBus, OutboxRelay, publishingState } from '@app/events';
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
    const { details, ok } = publishingState(this.bus, this.relay);
    const withConsumers = { ...details, consumers: [this.model.state()] };
    return ok && this.model.healthy ? indicator.up(withConsumers) : indicator.degraded(withConsumers);
  }
}
