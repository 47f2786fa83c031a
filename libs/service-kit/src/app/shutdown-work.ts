import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ShutdownDeadline } from './shutdown-deadline';

export const SHUTDOWN_WORK = Symbol('SHUTDOWN_WORK');

/** The service's own shutdown work; it bounds its steps by `deadline` (`deadline.run(steps)`). */
export type ShutdownWorkFn = (deadline: ShutdownDeadline) => Promise<void>;

/**
 * Runs the service's own shutdown work (stop the relay, close the store and
 * databases) in Nest's last lifecycle hook. It sits in the root module, and Nest
 * calls the root's hooks after those of the modules it imports, so it runs once
 * HTTP has drained and the feature modules have stopped. It is bounded by the
 * time the shutdown has left.
 */
@Injectable()
export class ShutdownWork implements OnApplicationShutdown {
  private readonly logger = new Logger('Shutdown');

  constructor(
    @Inject(SHUTDOWN_WORK) private readonly work: ShutdownWorkFn | undefined,
    private readonly deadline: ShutdownDeadline,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    const work = this.work;
    if (!work) return;
    this.deadline.begin();
    const { outcome, error } = await this.deadline.bound('service shutdown work', () => work(this.deadline));
    if (outcome === 'timed out') this.logger.warn('The service shutdown work did not finish in time; going on without it');
    if (outcome === 'failed') this.logger.error({ err: error }, 'The service shutdown work failed');
  }
}
