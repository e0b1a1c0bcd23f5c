import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { BaseConfig } from '@app/config';

/**
 * The connection to the event bus (Redis streams). Commands fail fast while Redis is away
 * (no offline queue): writers never wait for the bus, the relay and the consumers retry.
 */
@Injectable()
export class EventBus implements OnApplicationShutdown {
  private readonly logger = new Logger(EventBus.name);
  /** For publishing and short reads. */
  readonly redis: Redis;
  /** For blocking reads (XREAD BLOCK holds its connection). */
  readonly blocking: Redis;
  private wasUp = true;

  constructor(config: BaseConfig) {
    const options = {
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      retryStrategy: () => 200,
    };
    this.redis = new Redis(config.REDIS_URL, { ...options, connectionName: `${config.SERVICE_NAME}-bus` });
    this.blocking = new Redis(config.REDIS_URL, { ...options, connectionName: `${config.SERVICE_NAME}-reader` });
    for (const connection of [this.redis, this.blocking]) connection.on('error', () => undefined);
    this.redis.on('ready', () => {
      if (!this.wasUp) this.logger.log('event bus reachable again');
      this.wasUp = true;
    });
    this.redis.on('close', () => {
      if (this.wasUp) this.logger.warn('event bus unreachable; events wait in the outbox');
      this.wasUp = false;
    });
  }

  get up(): boolean {
    return this.redis.status === 'ready';
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
    this.blocking.disconnect();
  }
}
