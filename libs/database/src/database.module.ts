import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { BaseConfig } from '@app/config';
import { openStore, SQL_STORE, SqlStore, StoreMigrations } from './sql-store';

const INIT_POLL_MS = 500;

/** Whether init-db has marked the database filled (the `initialised` table of users and timelines). */
export async function isInitialised(store: SqlStore): Promise<boolean> {
  if (store.kind === 'sqlite') {
    const row = await store.use(() => store.db.prepare('SELECT EXISTS (SELECT 1 FROM initialised) AS done').get() as { done: number });
    return row.done === 1;
  }
  return (await store.one<{ done: boolean }>('SELECT EXISTS (SELECT 1 FROM initialised) AS done'))!.done;
}

/**
 * Opens the store; with WAIT_FOR_INIT, returns only once init-db has filled the database, so
 * the service neither listens nor writes before (its readiness fails meanwhile, and nothing
 * it writes can make init-db take the database for one already filled).
 */
async function openInitialisedStore(config: BaseConfig, migrations: StoreMigrations): Promise<SqlStore> {
  const store = await openStore(config, migrations);
  if (!config.WAIT_FOR_INIT) return store;
  for (let waited = 0; !(await isInitialised(store)); waited += INIT_POLL_MS) {
    // Straight to stderr: Nest's logger holds its lines until the app exists, which is what this waits for.
    if (waited % 10_000 === 0) process.stderr.write(`${config.SERVICE_NAME}: waiting for init-db to fill the database (WAIT_FOR_INIT)\n`);
    await sleep(INIT_POLL_MS);
  }
  return store;
}

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
      providers: [{ provide: SQL_STORE, inject: [BaseConfig], useFactory: (config: BaseConfig) => openInitialisedStore(config, migrations) }, StoreCloser],
      exports: [SQL_STORE],
    };
  }
}
