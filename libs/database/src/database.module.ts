import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { BaseConfig } from '@app/config';
import { openStore, SQL_STORE, SqlStore, StoreMigrations } from './sql-store';

/** Closes the store only after the HTTP server has drained, so late requests still have it. */
@Injectable()
class StoreCloser implements OnApplicationShutdown {
  constructor(@Inject(SQL_STORE) private readonly store: SqlStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(migrations: StoreMigrations): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: SQL_STORE, inject: [BaseConfig], useFactory: (config: BaseConfig) => openStore(config, migrations) },
        StoreCloser,
      ],
      exports: [SQL_STORE],
    };
  }
}
