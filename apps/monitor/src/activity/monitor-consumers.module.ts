import { Module } from '@nestjs/common';
import { storeAdapter } from '@app/database';
import { USERS_COPY_REPOSITORY } from '../users-copy/users-copy.repository';
import { PostgresUsersCopyRepository } from '../users-copy/postgres-users-copy.repository';
import { SqliteUsersCopyRepository } from '../users-copy/sqlite-users-copy.repository';
import { ACTIVITY_REPOSITORY } from './activity.repository';
import { PostgresActivityRepository } from './postgres-activity.repository';
import { SqliteActivityRepository } from './sqlite-activity.repository';
import { TimelinesStreamConsumer } from './timelines-stream.consumer';
import { UsersStreamConsumer } from './users-stream.consumer';

/** The ActivityRepository adapter of the monitor's store (the trending suite builds it the same way). */
export const ACTIVITY_REPOSITORY_PROVIDER = storeAdapter(ACTIVITY_REPOSITORY, {
  sqlite: (store) => new SqliteActivityRepository(store),
  postgres: (store) => new PostgresActivityRepository(store),
});

/** The monitor's two consumers and the repositories they write. */
@Module({
  providers: [
    storeAdapter(USERS_COPY_REPOSITORY, {
      sqlite: (store) => new SqliteUsersCopyRepository(store),
      postgres: (store) => new PostgresUsersCopyRepository(store),
    }),
    ACTIVITY_REPOSITORY_PROVIDER,
    UsersStreamConsumer,
    TimelinesStreamConsumer,
  ],
  exports: [USERS_COPY_REPOSITORY, ACTIVITY_REPOSITORY, UsersStreamConsumer, TimelinesStreamConsumer],
})
export class MonitorConsumersModule {}
