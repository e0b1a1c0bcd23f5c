import { setTimeout as sleep } from 'node:timers/promises';
import { testPostgresDatabase, TestDatabase } from '@app/testing';
import { PostgresStore } from '../src/postgres-store';

/** PostgresStore's write transactions on a real PostgreSQL (npm run test:postgres). */
describe('PostgresStore on PostgreSQL', () => {
  let database: TestDatabase;
  // Two pools on one database, as two replicas of a service.
  let replicas: PostgresStore[];

  beforeAll(async () => {
    const created = await testPostgresDatabase('store');
    if (!created) throw new Error('this suite runs under npm run test:postgres');
    database = created;
    replicas = [new PostgresStore({ url: database.url, poolSize: 10 }), new PostgresStore({ url: database.url, poolSize: 10 })];
    await replicas[0].run('CREATE TABLE counters (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)');
    await replicas[0].run('INSERT INTO counters (id, n) VALUES (1, 0)');
  });

  afterAll(async () => {
    await Promise.all(replicas.map((store) => store.close()));
    await database.drop();
  });

  it('applies every one of many concurrent read-then-write transactions on one hot row, none failing and none lost', async () => {
    const writes = Array.from({ length: 200 }, (_, i) => {
      const store = replicas[i % 2];
      return store.write(async () => {
        const { n } = (await store.one<{ n: number }>('SELECT n FROM counters WHERE id = 1'))!;
        await sleep(3); // other requests' code runs between a rule's read and its write
        await store.run('UPDATE counters SET n = $1 WHERE id = 1', [n + 1]);
      });
    });
    const outcomes = await Promise.allSettled(writes);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => String((outcome as PromiseRejectedResult).reason))).toEqual([]);
    expect((await replicas[1].one<{ n: number }>('SELECT n FROM counters WHERE id = 1'))!.n).toBe(200);
  });

  it('rolls a failed transaction back and lets the next writer in', async () => {
    const [store] = replicas;
    const count = async () => (await store.one<{ n: number }>('SELECT n FROM counters WHERE id = 1'))!.n;
    const before = await count();
    await expect(
      store.write(async () => {
        await store.run('UPDATE counters SET n = n + 1000 WHERE id = 1');
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await store.write(() => store.run('UPDATE counters SET n = n + 1 WHERE id = 1'));
    expect(await count()).toBe(before + 1);
  });
});
