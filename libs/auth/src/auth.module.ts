import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { BaseConfig } from '@app/config';
import { BearerStrategy } from './bearer.strategy';
import { TokenService } from './token.service';

@Global()
@Module({
  imports: [
    PassportModule,
    JwtModule.registerAsync({
      inject: [BaseConfig],
      useFactory: (config: BaseConfig) => ({
        secret: config.JWT_SECRET,
        signOptions: { algorithm: 'HS256' },
      }),
    }),
  ],
  providers: [TokenService, BearerStrategy],
  exports: [TokenService, PassportModule],
})
export class AuthModule {}
