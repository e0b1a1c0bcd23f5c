import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { CoreModule } from '@app/common';
import { DatabaseModule } from '@app/database';
import { HealthModule } from '@app/health';
import { RemoteBasicStrategy } from './auth/remote-basic.strategy';
import { TIMELINES_SCHEMA } from './database/timelines.schema';
import { PostsController } from './posts/posts.controller';
import { PostsRepository } from './posts/posts.repository';
import { PostsService } from './posts/posts.service';
import { TimelinesConfig } from './timelines-config';
import { TimelinesController } from './timelines/timelines.controller';
import { TimelinesService } from './timelines/timelines.service';
import { UsersClientModule } from './users-client/users-client.module';
import { UsersReachabilityCheck } from './users-client/users-reachability.check';

@Module({})
export class TimelinesAppModule {
  static forRoot(config: TimelinesConfig): DynamicModule {
    return {
      module: TimelinesAppModule,
      imports: [
        CoreModule.forRoot(config),
        DatabaseModule.forRoot(TIMELINES_SCHEMA),
        AuthModule,
        UsersClientModule,
        HealthModule.forRoot([UsersReachabilityCheck]),
      ],
      controllers: [PostsController, TimelinesController],
      providers: [PostsRepository, PostsService, TimelinesService, RemoteBasicStrategy],
    };
  }
}
