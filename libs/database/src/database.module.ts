import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { BaseConfig } from '@app/config';
import { DATABASE, openDatabase, Sqlite } from './database';
import { Migration } from './migrations';

export const DATABASE_MIGRATIONS = Symbol('DATABASE_MIGRATIONS');

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
  static forRoot(migrations: readonly Migration[]): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DATABASE_MIGRATIONS, useValue: migrations },
        {
          provide: DATABASE,
          inject: [BaseConfig, DATABASE_MIGRATIONS],
          useFactory: (config: BaseConfig, schema: readonly Migration[]) => openDatabase(config.DATABASE_PATH, schema),
        },
        DatabaseCloser,
      ],
      exports: [DATABASE],
    };
  }
}
