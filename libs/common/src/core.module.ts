import { DynamicModule, Global, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { BaseConfig } from '@app/config';

/**
 * What every service shares: its validated config (injectable as BaseConfig and as its own
 * class) and pino request logs keyed by X-Request-ID. Logs never carry headers or bodies,
 * so no credential reaches them.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: BaseConfig): DynamicModule {
    const configType = config.constructor as new () => BaseConfig;
    return {
      module: CoreModule,
      imports: [
        LoggerModule.forRoot({
          // nestjs-pino's default route, '{/*splat}', matches nothing on Nest 12's Fastify adapter.
          forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
          pinoHttp: {
            level: config.LOG_LEVEL,
            name: config.SERVICE_NAME,
            genReqId: (req: IncomingMessage) => req.headers['x-request-id'] as string,
            // HAProxy checks readiness every second; those requests would drown the log.
            autoLogging: {
              ignore: (req: IncomingMessage & { originalUrl?: string }) => (req.originalUrl ?? req.url ?? '').startsWith('/health'),
            },
            serializers: {
              req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({
                id: req.id,
                method: req.method,
                url: req.url,
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
            customLogLevel: (_req, res, error) =>
              error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
          },
        }),
      ],
      providers: [
        { provide: configType, useValue: config },
        ...(configType === BaseConfig ? [] : [{ provide: BaseConfig, useExisting: configType }]),
      ],
      exports: [configType, ...(configType === BaseConfig ? [] : [BaseConfig])],
    };
  }
}
