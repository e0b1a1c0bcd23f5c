import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { BaseConfig } from '@app/config';
import { DATABASE, openDatabase, Sqlite } from './database';

export const DATABASE_SCHEMA = Symbol('DATABASE_SCHEMA');

/** Closes the connection only after the HTTP server has drained, so late requests still have it. */
@Injectable()
class DatabaseCloser implements OnApplicationShutdown {
  constructor(@Inject(DATABASE) private readonly db: Sqlite) {}

  onApplicationShutdown(): void {
    if (this.db.open) this.db.close();
  }
}

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(schema: string): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DATABASE_SCHEMA, useValue: schema },
        {
          provide: DATABASE,
          inject: [BaseConfig, DATABASE_SCHEMA],
          useFactory: (config: BaseConfig, ddl: string) => openDatabase(config.DATABASE_PATH, ddl),
        },
        DatabaseCloser,
      ],
      exports: [DATABASE],
    };
  }
}
