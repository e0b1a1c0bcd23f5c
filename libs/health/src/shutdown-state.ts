import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { BaseConfig } from '@app/config';

/**
 * On SIGTERM the replica first fails its readiness check and keeps serving for
 * SHUTDOWN_DRAIN_MS, long enough for HAProxy to stop sending it requests; only then does
 * Nest close the HTTP server, which lets the requests in flight finish.
 */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ShutdownState.name);
  draining = false;

  constructor(private readonly config: BaseConfig) {}

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.draining = true;
    if (!signal || this.config.SHUTDOWN_DRAIN_MS === 0) return;
    this.logger.log(`${signal}: not ready, draining for ${this.config.SHUTDOWN_DRAIN_MS} ms`);
    await sleep(this.config.SHUTDOWN_DRAIN_MS);
  }
}
