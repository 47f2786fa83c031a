import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequireDepartment, Roles, type Actor } from '@city/auth';
import { ApiErrors } from '@city/service-kit';
import { ReliefQueries, type EnterpriseMeasures, type MeasureView, type QueuedMeasure } from '../application/relief-queries';
import type { ReplayReport } from '../domain/rule-replay';
import { ApprovalQueueQuery, EnterpriseMeasuresQuery, EnterpriseParams, MeasureParams, RuleReplayDto } from './dto/relief.dto';

/** The measure catalog (versioned reference data) with each measure's budget left, and dry runs of new rule versions. */
@ApiTags('measures')
@Controller('measures')
export class MeasuresController {
  constructor(@Inject(ReliefQueries) private readonly queries: ReliefQueries) {}

  @Get()
  @ApiOperation({ summary: 'Every measure: issuer, benefit, amount rule, eligibility rules, dates, budget and what is left of it' })
  list(): Promise<MeasureView[]> {
    return this.queries.measures();
  }

  @Get(':measureId')
  @ApiOperation({ summary: 'One measure with its budget left' })
  @ApiErrors({ notFound: 'Unknown measure' })
  get(@Param() params: MeasureParams): Promise<MeasureView> {
    return this.queries.measure(params.measureId);
  }

  @Post(':measureId/rule-replays')
  @HttpCode(200)
  @Roles('department')
  @RequireDepartment('policy-relief')
  @ApiOperation({
    summary: 'Dry run: a new version of the measure’s eligibility rules over all its past applications; who would change and why. Nothing is written.',
  })
  @ApiErrors({ notFound: 'Unknown measure' })
  replay(@CurrentActor() actor: Actor, @Param() params: MeasureParams, @Body() body: RuleReplayDto): Promise<ReplayReport> {
    return this.queries.replay(actor, params.measureId, body.version, body.rules);
  }
}

/** What an enterprise's page shows: the measures open to it today and the answer it would get. */
@ApiTags('measures')
@Controller('enterprises')
export class EnterpriseMeasuresController {
  constructor(@Inject(ReliefQueries) private readonly queries: ReliefQueries) {}

  @Get(':enterpriseId/measures')
  @ApiOperation({
    summary: 'The measures as one enterprise sees them today: open or not, the eligibility answer it would get rule by rule, its own application to each',
  })
  @ApiErrors({})
  measures(@CurrentActor() actor: Actor, @Param() params: EnterpriseParams, @Query() query: EnterpriseMeasuresQuery): Promise<EnterpriseMeasures> {
    return this.queries.enterpriseMeasures(actor, params.enterpriseId, query.landlordKind);
  }
}

/** An issuing office's work: what waits for its decision, measure by measure, with the budget left. */
@ApiTags('applications')
@Controller('approval-queue')
export class ApprovalQueueController {
  constructor(@Inject(ReliefQueries) private readonly queries: ReliefQueries) {}

  @Get()
  @Roles('department')
  @RequireDepartment('policy-relief')
  @ApiOperation({
    summary:
      'The measures the caller’s office issues, each with its budget left, how many applications wait for a decision, and the oldest of them (`limit` per measure)',
  })
  queue(@CurrentActor() actor: Actor, @Query() q: ApprovalQueueQuery): Promise<QueuedMeasure[]> {
    return this.queries.approvalQueue(actor, q.limit ?? 100);
  }
}
