import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { CoreModule } from '@app/common';
import { DatabaseModule } from '@app/database';
import { HealthModule } from '@app/health';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { BasicStrategy } from './auth/basic.strategy';
import { LoginThrottleRepository } from './auth/login-throttle.repository';
import { LoginThrottleService } from './auth/login-throttle.service';
import { VerifiedCredentialsCache } from './auth/verified-credentials.cache';
import { USERS_SCHEMA } from './database/users.schema';
import { UsersConfig } from './users-config';
import { InternalController } from './users/internal.controller';
import { UsersController } from './users/users.controller';
import { UsersRepository } from './users/users.repository';
import { UsersService } from './users/users.service';

@Module({})
export class UsersAppModule {
  static forRoot(config: UsersConfig): DynamicModule {
    return {
      module: UsersAppModule,
      imports: [CoreModule.forRoot(config), DatabaseModule.forRoot(USERS_SCHEMA), AuthModule, HealthModule.forRoot()],
      controllers: [UsersController, InternalController, AuthController],
      providers: [
        UsersRepository,
        UsersService,
        AuthService,
        BasicStrategy,
        LoginThrottleRepository,
        LoginThrottleService,
        VerifiedCredentialsCache,
      ],
    };
  }
}
