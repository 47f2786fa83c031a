import { BaseRpcContext } from '@nestjs/microservices';
import type { DecodedCloudEvent } from '@city/kafka';
import type { SqlExecutor } from '@city/sql';

type EventContextArgs = [tx: SqlExecutor, topic: string, partition: number, offset: string, event: DecodedCloudEvent];

/**
 * What an `@EventPattern` handler gets with `@Ctx()`: the transaction to write
 * its view in (the consumer's offset commits in the same one) and where the
 * event came from.
 */
export class EventContext extends BaseRpcContext<EventContextArgs> {
  /** The read model's transaction: write here, never on another connection, or the write is not atomic with the offset. */
  get tx(): SqlExecutor {
    return this.args[0];
  }
  get topic(): string {
    return this.args[1];
  }
  get partition(): number {
    return this.args[2];
  }
  get offset(): string {
    return this.args[3];
  }
  get event(): DecodedCloudEvent {
    return this.args[4];
  }
}
