import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { CommandScheduler } from '@city/scheduler';
import type { GuidelineCatalog } from './guideline-catalog';
import type { ReopeningReadModel } from './reopening-read-model';

/**
 * What the service does when it starts and stops: stores the seeded guidelines and keeps the
 * versions in force in memory, keeps its read
 * model following the store (from its checkpoint, in the background), runs the appeal escalations.
 */
export class ServiceLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly guidelines: GuidelineCatalog,
    private readonly readModel: ReopeningReadModel,
    private readonly scheduler: CommandScheduler | undefined,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.guidelines.seed();
    await this.guidelines.follow();
    this.readModel.start();
    await this.scheduler?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.scheduler?.stop();
    await this.readModel.stop();
    this.guidelines.stopFollowing();
  }
}
