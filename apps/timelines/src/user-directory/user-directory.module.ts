import { Global, Module } from '@nestjs/common';
import { USER_ROLES } from '../posts/user-roles';
import { TrustedCredentials } from './trusted-credentials';
import { UserDirectory } from './user-directory';
import { UsersReadModel } from './users-read-model';

/** The read model of users and what answers from it; global, so readiness can report it. */
@Global()
@Module({
  providers: [UsersReadModel, UserDirectory, { provide: USER_ROLES, useExisting: UserDirectory }, TrustedCredentials],
  exports: [UsersReadModel, UserDirectory, USER_ROLES, TrustedCredentials],
})
export class UserDirectoryModule {}
