import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { CoreModule } from '@app/common';
import { DatabaseModule } from '@app/database';
import { BusReadinessCheck, EventsModule, STREAMS } from '@app/events';
import { HealthModule } from '@app/health';
import { IdempotencyModule } from '@app/idempotency';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { BasicStrategy } from './auth/basic.strategy';
import { LOGIN_THROTTLE_REPOSITORY } from './auth/login-throttle.repository';
import { LoginThrottleService } from './auth/login-throttle.service';
import { SqliteLoginThrottleRepository } from './auth/sqlite-login-throttle.repository';
import { VerifiedCredentialsCache } from './credentials/verified-credentials.cache';
import { USERS_MIGRATIONS } from './database/users.migrations';
import { UsersConfig } from './users-config';
import { InternalController } from './users/internal.controller';
import { UsersController } from './users/users.controller';
import { SqliteUsersRepository } from './users/sqlite-users.repository';
import { USERS_REPOSITORY } from './users/users.repository';
import { UsersService } from './users/users.service';

@Module({})
export class UsersAppModule {
  static forRoot(config: UsersConfig): DynamicModule {
    return {
      module: UsersAppModule,
      imports: [CoreModule.forRoot(config), DatabaseModule.forRoot(USERS_MIGRATIONS), AuthModule, IdempotencyModule, EventsModule.forRoot({ publishes: STREAMS.users }), HealthModule.forRoot([BusReadinessCheck])],
      controllers: [UsersController, InternalController, AuthController],
      providers: [
        { provide: USERS_REPOSITORY, useClass: SqliteUsersRepository },
        UsersService,
        AuthService,
        BasicStrategy,
        { provide: LOGIN_THROTTLE_REPOSITORY, useClass: SqliteLoginThrottleRepository },
        LoginThrottleService,
        VerifiedCredentialsCache,
      ],
    };
  }
}
