import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EnterpriseFacts as ReopeningFacts, EnterpriseStreamEvent } from '@city/contracts';
import type { DecodedCloudEvent } from '@city/kafka';
import type { EventContext } from '@city/kafka-transport';
import { EnterpriseView, profileFromReopeningFacts } from '../application/enterprise-view';

/** The CloudEvents type of an enterprise-reopening event this view reads. */
const type = (name: EnterpriseStreamEvent['type']) => `city.enterprise-reopening.${name}.v1`;

/**
 * Policy-relief's view of enterprises, kept from enterprise-reopening's topic
 * through the kit's Kafka transport: every event of an enterprise's stream
 * carries the enterprise's facts after it (size, industry, district,
 * subdistrict, usual headcount, reopening status), and each handler writes
 * them in the transaction that stores the consumer's offset. Events of other
 * types (appeals, guidelines) are skipped and counted by the transport;
 * malformed ones are refused by the contracts' decoder and dead-lettered, and
 * the partition moves on. No call into enterprise-reopening.
 */
@Controller()
export class EnterpriseEventsConsumer {
  @EventPattern(type('EnterpriseRegistered'))
  registered(@Payload() event: DecodedCloudEvent, @Ctx() ctx: EventContext): Promise<void> {
    return this.keep(event, ctx);
  }

  @EventPattern(type('ReopeningDeclared'))
  declared(@Payload() event: DecodedCloudEvent, @Ctx() ctx: EventContext): Promise<void> {
    return this.keep(event, ctx);
  }

  @EventPattern(type('InspectionRecorded'))
  inspected(@Payload() event: DecodedCloudEvent, @Ctx() ctx: EventContext): Promise<void> {
    return this.keep(event, ctx);
  }

  @EventPattern(type('RectificationSubmitted'))
  rectified(@Payload() event: DecodedCloudEvent, @Ctx() ctx: EventContext): Promise<void> {
    return this.keep(event, ctx);
  }

  @EventPattern(type('EnterpriseReopened'))
  reopened(@Payload() event: DecodedCloudEvent, @Ctx() ctx: EventContext): Promise<void> {
    return this.keep(event, ctx);
  }

  @EventPattern(type('DailyWorkforceReported'))
  reported(@Payload() event: DecodedCloudEvent, @Ctx() ctx: EventContext): Promise<void> {
    return this.keep(event, ctx);
  }

  @EventPattern(type('SurveyAnswered'))
  surveyed(@Payload() event: DecodedCloudEvent, @Ctx() ctx: EventContext): Promise<void> {
    return this.keep(event, ctx);
  }

  private keep(event: DecodedCloudEvent, ctx: EventContext): Promise<void> {
    return EnterpriseView.upsert(ctx.tx, profileFromReopeningFacts(event.data as ReopeningFacts), event.streamVersion);
  }
}
