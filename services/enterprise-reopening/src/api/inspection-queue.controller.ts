import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type Actor } from '@city/auth';
import { ApiErrors } from '@city/service-kit';
import { QueueQueries, type InspectionQueueView as QueueView } from '../application/queue-queries';
import { InspectionQueueQuery, InspectionQueueView } from './dto/queue.dto';

/** What the subdistrict inspectors have to do: declarations to inspect, rectifications due. */
@ApiTags('reopening')
@Controller('inspection-queue')
export class InspectionQueueController {
  constructor(@Inject(QueueQueries) private readonly queries: QueueQueries) {}

  @Get()
  @ApiOperation({
    summary:
      'Declarations to inspect and rectifications due, oldest first (inspectors and district staff: their district; the commission: the city or a district)',
  })
  @ApiOkResponse({ type: InspectionQueueView })
  @ApiErrors()
  queue(@CurrentActor() actor: Actor, @Query() query: InspectionQueueQuery): Promise<QueueView> {
    return this.queries.inspectionQueue(actor, query);
  }
}
