import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { CoreModule } from '@app/common';
import { DatabaseModule, storeAdapter } from '@app/database';
import { EventsModule, STREAMS } from '@app/events';
import { HealthModule } from '@app/health';
import { IdempotencyModule } from '@app/idempotency';
import { RemoteBasicStrategy } from './auth/remote-basic.strategy';
import { TIMELINES_MIGRATIONS } from './database/timelines.migrations';
import { TIMELINES_POSTGRES_MIGRATIONS } from './database/timelines.postgres-migrations';
import { MastodonStatusesService } from './mastodon/mastodon-statuses.service';
import { MastodonTimelinesController } from './mastodon/mastodon-timelines.controller';
import { MastodonTimelinesService } from './mastodon/mastodon-timelines.service';
import { PostgresStatusReadsRepository } from './mastodon/postgres-status-reads.repository';
import { SqliteStatusReadsRepository } from './mastodon/sqlite-status-reads.repository';
import { STATUS_READS_REPOSITORY } from './mastodon/status-reads.repository';
import { StatusRenderer } from './mastodon/status.renderer';
import { StatusesController } from './mastodon/statuses.controller';
import { PostsController } from './posts/posts.controller';
import { POSTS_REPOSITORY } from './posts/posts.repository';
import { PostsService } from './posts/posts.service';
import { PostgresPostsRepository } from './posts/postgres-posts.repository';
import { PostListRenderer } from './posts/post-list.renderer';
import { SqlitePostsRepository } from './posts/sqlite-posts.repository';
import { TimelinesConfig } from './timelines-config';
import { TimelinesController } from './timelines/timelines.controller';
import { TimelinesService } from './timelines/timelines.service';
import { UsersClientModule } from './users-client/users-client.module';
import { UsersReachabilityCheck } from './users-client/users-reachability.check';
import { EventsReadinessCheck } from './user-directory/events-readiness.check';
import { UserDirectoryModule } from './user-directory/user-directory.module';

@Module({})
export class TimelinesAppModule {
  static forRoot(config: TimelinesConfig): DynamicModule {
    return {
      module: TimelinesAppModule,
      imports: [
        CoreModule.forRoot(config),
        DatabaseModule.forRoot({ sqlite: TIMELINES_MIGRATIONS, postgres: TIMELINES_POSTGRES_MIGRATIONS }),
        AuthModule,
        IdempotencyModule,
        EventsModule.forRoot({ publishes: STREAMS.timelines }),
        UsersClientModule,
        UserDirectoryModule,
        HealthModule.forRoot({ checks: [UsersReachabilityCheck, EventsReadinessCheck], imports: [UsersClientModule, UserDirectoryModule] }),
      ],
      controllers: [PostsController, TimelinesController, StatusesController, MastodonTimelinesController],
      providers: [
        storeAdapter(POSTS_REPOSITORY, {
          sqlite: (store) => new SqlitePostsRepository(store),
          postgres: (store) => new PostgresPostsRepository(store),
        }),
        storeAdapter(STATUS_READS_REPOSITORY, {
          sqlite: (store) => new SqliteStatusReadsRepository(store),
          postgres: (store) => new PostgresStatusReadsRepository(store),
        }),
        PostsService,
        TimelinesService,
        PostListRenderer,
        StatusRenderer,
        MastodonStatusesService,
        MastodonTimelinesService,
        RemoteBasicStrategy,
      ],
    };
  }
}
