import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '@app/common';
import { MonitorAppModule } from './monitor-app.module';
import { MonitorConfig } from './monitor-config';

export function createMonitorApp(config: MonitorConfig): Promise<NestFastifyApplication> {
  return createApp(MonitorAppModule.forRoot(config), config);
}
