import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '@app/common';
import { TimelinesAppModule } from './timelines-app.module';
import { TimelinesConfig } from './timelines-config';

export function createTimelinesApp(config: TimelinesConfig): Promise<NestFastifyApplication> {
  return createApp(TimelinesAppModule.forRoot(config), config);
}
