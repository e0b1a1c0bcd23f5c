import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule, OAUTH_TOKEN_VERIFIER } from '@app/auth';
import { CoreModule } from '@app/common';
import { DatabaseModule, storeAdapter } from '@app/database';
import { BusReadinessCheck, EventsModule, STREAMS } from '@app/events';
import { HealthModule } from '@app/health';
import { IdempotencyModule } from '@app/idempotency';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { BasicStrategy } from './auth/basic.strategy';
import { LOGIN_THROTTLE_REPOSITORY } from './auth/login-throttle.repository';
import { LoginThrottleService } from './auth/login-throttle.service';
import { PostgresLoginThrottleRepository } from './auth/postgres-login-throttle.repository';
import { SqliteLoginThrottleRepository } from './auth/sqlite-login-throttle.repository';
import { VerifiedCredentialsCache } from './credentials/verified-credentials.cache';
import { USERS_MIGRATIONS } from './database/users.migrations';
import { USERS_POSTGRES_MIGRATIONS } from './database/users.postgres-migrations';
import { AccountsController } from './mastodon/accounts.controller';
import { InstanceController } from './mastodon/instance.controller';
import { MastodonAccountsService } from './mastodon/mastodon-accounts.service';
import { StartUpController } from './mastodon/start-up.controller';
import { AppsController } from './oauth/apps.controller';
import { SignInCsrf } from './oauth/csrf';
import { InternalOAuthController } from './oauth/internal-oauth.controller';
import { OAuthController } from './oauth/oauth.controller';
import { OAUTH_REPOSITORY } from './oauth/oauth.repository';
import { OAuthService } from './oauth/oauth.service';
import { PostgresOAuthRepository } from './oauth/postgres-oauth.repository';
import { SqliteOAuthRepository } from './oauth/sqlite-oauth.repository';
import { UsersConfig } from './users-config';
import { InternalController } from './users/internal.controller';
import { UsersController } from './users/users.controller';
import { PostgresUsersRepository } from './users/postgres-users.repository';
import { SqliteUsersRepository } from './users/sqlite-users.repository';
import { USERS_REPOSITORY } from './users/users.repository';
import { UsersService } from './users/users.service';

@Module({})
export class UsersAppModule {
  static forRoot(config: UsersConfig): DynamicModule {
    return {
      module: UsersAppModule,
      imports: [
        CoreModule.forRoot(config),
        DatabaseModule.forRoot({ sqlite: USERS_MIGRATIONS, postgres: USERS_POSTGRES_MIGRATIONS }),
        AuthModule,
        IdempotencyModule,
        EventsModule.forRoot({ publishes: STREAMS.users }),
        HealthModule.forRoot({ checks: [BusReadinessCheck] }),
      ],
      controllers: [
        UsersController,
        InternalController,
        AuthController,
        InstanceController,
        AppsController,
        OAuthController,
        InternalOAuthController,
        AccountsController,
        StartUpController,
      ],
      providers: [
        storeAdapter(USERS_REPOSITORY, {
          sqlite: (store) => new SqliteUsersRepository(store),
          postgres: (store) => new PostgresUsersRepository(store),
        }),
        UsersService,
        AuthService,
        BasicStrategy,
        storeAdapter(LOGIN_THROTTLE_REPOSITORY, {
          sqlite: (store) => new SqliteLoginThrottleRepository(store),
          postgres: (store) => new PostgresLoginThrottleRepository(store),
        }),
        LoginThrottleService,
        VerifiedCredentialsCache,
        storeAdapter(OAUTH_REPOSITORY, {
          sqlite: (store) => new SqliteOAuthRepository(store),
          postgres: (store) => new PostgresOAuthRepository(store),
        }),
        OAuthService,
        { provide: OAUTH_TOKEN_VERIFIER, useExisting: OAuthService },
        SignInCsrf,
        MastodonAccountsService,
      ],
    };
  }
}
