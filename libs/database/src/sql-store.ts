import type { FactoryProvider, InjectionToken } from '@nestjs/common';
import { openDatabase } from './database';
import type { Migration } from './migrations';
import { migratePostgres } from './postgres-migrations';
import { PostgresStore } from './postgres-store';
import { SqliteStore } from './sqlite-store';

/** A service's database: its own SQLite file (the default) or PostgreSQL (DATABASE_URL). */
export type SqlStore = SqliteStore | PostgresStore;

/** Injection token of the service's SqlStore. */
export const SQL_STORE = Symbol('SqlStore');

/** A service's schema for each store: the same tables, each store's own SQL and history. */
export interface StoreMigrations {
  sqlite: readonly Migration[];
  postgres: readonly Migration[];
}

export interface StoreSettings {
  DATABASE_PATH: string;
  DATABASE_URL?: string;
  DATABASE_POOL_SIZE?: number;
}

/** Opens the store the settings name and brings its schema to the newest migration. */
export async function openStore(settings: StoreSettings, migrations: StoreMigrations): Promise<SqlStore> {
  if (!settings.DATABASE_URL) return new SqliteStore(openDatabase(settings.DATABASE_PATH, migrations.sqlite));
  const store = new PostgresStore({ url: settings.DATABASE_URL, poolSize: settings.DATABASE_POOL_SIZE });
  try {
    await migratePostgres(store, migrations.postgres);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/** A provider of `token` made by the adapter for the service's store (a port's two adapters). */
export function storeAdapter<S, P>(
  token: InjectionToken,
  adapters: { sqlite: (store: SqliteStore) => S; postgres: (store: PostgresStore) => P },
): FactoryProvider<S | P> {
  return {
    provide: token,
    inject: [SQL_STORE],
    useFactory: (store: SqlStore) => (store.kind === 'sqlite' ? adapters.sqlite(store) : adapters.postgres(store)),
  };
}
