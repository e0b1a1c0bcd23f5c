import { Global, Module } from '@nestjs/common';
import { USER_ROLES } from '../posts/user-roles';
import { UsersClient } from './users.client';

@Global()
@Module({
  providers: [UsersClient, { provide: USER_ROLES, useExisting: UsersClient }],
  exports: [UsersClient, USER_ROLES],
})
export class UsersClientModule {}
