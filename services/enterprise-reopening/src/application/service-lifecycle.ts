import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { CommandScheduler } from '@city/scheduler';
import type { GuidelineCatalog } from './guideline-catalog';

/** What the service does when it starts and stops: stores the seeded guidelines, runs the appeal escalations. */
export class ServiceLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly guidelines: GuidelineCatalog,
    private readonly scheduler: CommandScheduler | undefined,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.guidelines.seed();
    await this.scheduler?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.scheduler?.stop();
  }
}
