import { Module } from '@nestjs/common';
import { UsersClient } from './users.client';

@Module({ providers: [UsersClient], exports: [UsersClient] })
export class UsersClientModule {}
