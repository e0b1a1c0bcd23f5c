/**
 * `npm start`: the whole system on one machine, in the foreground. Builds the databases from
 * data/ if they are missing, then starts Redis (unless REDIS_URL names one), users,
 * TIMELINES_REPLICAS timelines replicas (default 3), the monitor and HAProxy on HTTP_PORT
 * (default 80). Every process writes its own log lines to this terminal (JSON lines carry the
 * process's name; pretty ones start with it). Ctrl-C stops every process cleanly.
 * scripts/ensure-built.cjs has installed HAProxy and built the project before this runs.
 */
import { freePort, redisAnswers, Topology } from '@app/topology';

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 65535) {
    console.error(`${name} must be a positive whole number, not "${raw}"`);
    process.exit(1);
  }
  return Number(raw);
}

/**
 * The port for npm start's own Redis: REDIS_PORT, or 6379; when 6379 is taken by another Redis
 * (Debian's redis-server package starts one there), a free port, said at once. A REDIS_PORT
 * given and taken is refused by the topology, which never uses a Redis it did not start.
 */
async function ownRedisPort(): Promise<number> {
  const given = process.env.REDIS_PORT;
  const port = positiveInt('REDIS_PORT', 6379);
  if (given || process.env.REDIS_URL || !(await redisAnswers(port))) return port;
  const free = await freePort();
  console.log(`microblog: port ${port} is taken by another Redis (not started by microblog); microblog starts its own on 127.0.0.1:${free}`);
  return free;
}

async function main(): Promise<void> {
  const httpPort = positiveInt('HTTP_PORT', 80);
  const replicas = positiveInt('TIMELINES_REPLICAS', 3);
  const topology = new Topology({
    httpPort,
    replicas,
    usersPort: positiveInt('USERS_PORT', 5000),
    timelinesBasePort: positiveInt('TIMELINES_BASE_PORT', 5100),
    monitorPort: positiveInt('MONITOR_PORT', 5200),
    redisPort: await ownRedisPort(),
    redisUrl: process.env.REDIS_URL || undefined,
    redisPersistence: true,
    jwtSecret: process.env.JWT_SECRET || undefined,
    usersDatabaseUrl: process.env.USERS_DATABASE_URL || undefined,
    timelinesDatabaseUrl: process.env.TIMELINES_DATABASE_URL || undefined,
    monitorDatabaseUrl: process.env.MONITOR_DATABASE_URL || undefined,
    varDir: process.env.VAR_DIR || undefined,
    haproxyMetricsPort: positiveInt('HAPROXY_METRICS_PORT', 8405),
    // Each process writes its own lines to this terminal (or file): nothing reads and prints them again.
    output: 'inherit',
    onExit: (name, how) => console.error(`microblog: ${name} exited (${how})`),
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping every process`);
    await topology.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  await topology.start();
  console.log(
    `microblog is up: ${topology.baseUrl} (HAProxy) -> users on :${topology.usersPort}, ` +
      `${replicas} timelines replicas on :${topology.timelinesPorts.join(', :')}, monitor on :${topology.monitorPort}, ` +
      `events on ${topology.redisUrl}; stats at ${topology.baseUrl}/haproxy?stats`,
  );
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${(error as Error).message}`);
  process.exit(1);
});
