import { Module } from '@nestjs/common';
import { OAUTH_TOKEN_VERIFIER } from '@app/auth';
import { storeAdapter } from '@app/database';
import { USER_ROLES } from '../posts/user-roles';
import { UsersClientModule } from '../users-client/users-client.module';
import { ACCOUNTS_REPOSITORY } from './accounts.repository';
import { PostgresAccountsRepository } from './postgres-accounts.repository';
import { SqliteAccountsRepository } from './sqlite-accounts.repository';
import { ReadModelTokenVerifier } from './read-model-token.verifier';
import { TrustedCredentials } from './trusted-credentials';
import { UserDirectory } from './user-directory';
import { UsersReadModel } from './users-read-model';

/** The read model of users and what answers from it (accounts, roles, credentials, OAuth tokens). */
@Module({
  imports: [UsersClientModule],
  providers: [
    storeAdapter(ACCOUNTS_REPOSITORY, {
      sqlite: (store) => new SqliteAccountsRepository(store),
      postgres: (store) => new PostgresAccountsRepository(store),
    }),
    UsersReadModel,
    UserDirectory,
    { provide: USER_ROLES, useExisting: UserDirectory },
    TrustedCredentials,
    { provide: OAUTH_TOKEN_VERIFIER, useClass: ReadModelTokenVerifier },
  ],
  exports: [UsersReadModel, UserDirectory, USER_ROLES, TrustedCredentials, OAUTH_TOKEN_VERIFIER, ACCOUNTS_REPOSITORY],
})
export class UserDirectoryModule {}
