import { Global, Module } from '@nestjs/common';
import { UsersClient } from './users.client';

@Global()
@Module({ providers: [UsersClient], exports: [UsersClient] })
export class UsersClientModule {}
