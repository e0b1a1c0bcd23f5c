export * from './auth-user';
export * from './auth.module';
export * from './credentials.guard';
export * from './current-user.decorator';
export * from './token.service';
export * from './basic-credentials.strategy';
