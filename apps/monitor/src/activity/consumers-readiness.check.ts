import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { EventBus } from '@app/events';
import { ReadinessCheck } from '@app/health';
import { TimelinesStreamConsumer } from './timelines-stream.consumer';
import { UsersStreamConsumer } from './users-stream.consumer';

/** The bus and how far behind each consumer is; degraded, never down. */
@Injectable()
export class ConsumersReadinessCheck implements ReadinessCheck {
  constructor(
    private readonly bus: EventBus,
    private readonly users: UsersStreamConsumer,
    private readonly timelines: TimelinesStreamConsumer,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check() {
    const indicator = this.indicators.check('events');
    const consumers = [this.users.state(), this.timelines.state()];
    const details = { bus: this.bus.up ? 'up' : 'down', consumers };
    return consumers.every((c) => c.healthy) ? indicator.up(details) : indicator.degraded(details);
  }
}
