import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';

export const SHUTDOWN_WORK = Symbol('SHUTDOWN_WORK');

/**
 * Runs the service's own shutdown work (stop the relay, close the store and
 * databases) in Nest's last lifecycle hook. It sits in the root module, and Nest
 * calls the root's hooks after those of the modules it imports, so it runs once
 * HTTP has drained and the feature modules have stopped.
 */
@Injectable()
export class ShutdownWork implements OnApplicationShutdown {
  constructor(@Inject(SHUTDOWN_WORK) private readonly work: (() => Promise<void>) | undefined) {}

  async onApplicationShutdown(): Promise<void> {
    await this.work?.();
  }
}
