import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule, CredentialsGuard } from '@app/auth';
import { CLOCK, CoreModule, SYSTEM_CLOCK } from '@app/common';
import { DatabaseModule } from '@app/database';
import { EventsModule } from '@app/events';
import { HealthModule } from '@app/health';
import { ActivityService } from './activity/activity.service';
import { ConsumersReadinessCheck } from './activity/consumers-readiness.check';
import { MastodonTrendsService } from './activity/mastodon-trends.service';
import { MonitorController } from './activity/monitor.controller';
import { TrendsController } from './activity/trends.controller';
import { AdminGuard } from './auth/admin.guard';
import { DashboardAccessGuard } from './auth/dashboard-access.guard';
import { BasicRefusedStrategy } from './auth/basic-refused.strategy';
import { MONITOR_MIGRATIONS } from './database/monitor.migrations';
import { MONITOR_POSTGRES_MIGRATIONS } from './database/monitor.postgres-migrations';
import { MonitorConfig } from './monitor-config';
import { MonitorConsumersModule } from './activity/monitor-consumers.module';

@Module({})
export class MonitorAppModule {
  static forRoot(config: MonitorConfig): DynamicModule {
    return {
      module: MonitorAppModule,
      imports: [
        CoreModule.forRoot(config),
        DatabaseModule.forRoot({ sqlite: MONITOR_MIGRATIONS, postgres: MONITOR_POSTGRES_MIGRATIONS }),
        AuthModule,
        EventsModule.forRoot(),
        MonitorConsumersModule,
        HealthModule.forRoot({ checks: [ConsumersReadinessCheck], imports: [MonitorConsumersModule] }),
      ],
      controllers: [MonitorController, TrendsController],
      providers: [
        ActivityService,
        MastodonTrendsService,
        AdminGuard,
        CredentialsGuard,
        DashboardAccessGuard,
        BasicRefusedStrategy,
        { provide: CLOCK, useValue: SYSTEM_CLOCK },
      ],
    };
  }
}
