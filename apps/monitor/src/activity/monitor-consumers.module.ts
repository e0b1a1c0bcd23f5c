import { Global, Module } from '@nestjs/common';
import { TimelinesStreamConsumer } from './timelines-stream.consumer';
import { UsersStreamConsumer } from './users-stream.consumer';

/** The monitor's two consumers; global, so readiness can report them. */
@Global()
@Module({ providers: [UsersStreamConsumer, TimelinesStreamConsumer], exports: [UsersStreamConsumer, TimelinesStreamConsumer] })
export class MonitorConsumersModule {}
