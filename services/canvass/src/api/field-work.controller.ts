import { Body, Controller, Get, HttpCode, Inject, Optional, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequireDepartment, Roles, type Actor } from '@city/auth';
import { AcceptingValidationPipe, CityMetrics } from '@city/observability';
import { ApiCreatedOrRetried, ApiErrors, createdOrOk, requestContext, type StatusResponse } from '@city/service-kit';
import { CanvassCommands } from '../application/canvass-commands';
import { CanvassQueries } from '../application/canvass-queries';
import { canvassAccess } from '../domain/access-policy';
import { EndGateShiftDto, RecordDoorstepServiceDto, RecordVisitBatchDto, RecordVisitDto, ShiftParams, StartGateShiftDto } from './dto/field-work.dto';
import { DoorstepServiceReceiptView, GateShiftReceiptView, VisitBatchResultView, VisitReceiptView } from './dto/receipts.dto';
import { MyUnitsView, UnitParams } from './dto/unit.dto';
import { visitBatchResult } from './visit-batch';

/**
 * The visit routes, the busiest of the service, check their bodies with the acceptance walk (see
 * AcceptingValidationPipe): a valid visit skips class-transformer and class-validator, any other gets
 * the platform pipe's 400 as before. Their bodies are typed by mapped types, not the DTO classes, so
 * that the global pipe leaves them to these; `@ApiBody` keeps the DTOs in the API docs.
 */
const visitPipe = new AcceptingValidationPipe(RecordVisitDto);
const visitBatchPipe = new AcceptingValidationPipe(RecordVisitBatchDto);
type VisitBody = Readonly<RecordVisitDto>;
type VisitBatchBody = Readonly<RecordVisitBatchDto>;

/** What officials record from their phones: visits, doorstep services, gate duty; and their day's work. */
@ApiTags('field work')
@Controller()
export class FieldWorkController {
  constructor(
    @Inject(CanvassCommands) private readonly commands: CanvassCommands,
    @Inject(CanvassQueries) private readonly queries: CanvassQueries,
    @Optional() @Inject(CityMetrics) private readonly metrics?: CityMetrics,
  ) {}

  @Post('units/:unitId/visits')
  @Roles(...canvassAccess.rolesOf('fieldWork'))
  @RequireDepartment('canvass')
  @ApiOperation({ summary: 'Record a canvass visit; a resent visitId is recorded once. Others than the responsible official are recorded as standing in.' })
  @ApiBody({ type: RecordVisitDto })
  @ApiCreatedOrRetried(VisitReceiptView)
  @ApiErrors({ notFound: 'Unknown unit', conflict: 'Rule violation: unit-retired, unit-has-no-responsible-official, time-in-the-future' })
  async recordVisit(
    @CurrentActor() actor: Actor,
    @Param() params: UnitParams,
    @Body(visitPipe) body: VisitBody,
    @Res({ passthrough: true }) res: StatusResponse,
  ): Promise<VisitReceiptView> {
    const { findings } = body;
    const receipt = await this.commands.recordVisit(requestContext(actor), params.unitId, {
      visitId: body.visitId,
      visitedAt: body.visitedAt,
      findings: { ...findings, problems: findings.problems ?? [] },
    });
    createdOrOk(res, receipt);
    return { unitId: params.unitId, ...receipt };
  }

  @Post('visit-batches')
  @HttpCode(200)
  @Roles(...canvassAccess.rolesOf('fieldWork'))
  @RequireDepartment('canvass')
  @ApiOperation({
    summary: 'Sync visits recorded offline',
    description:
      'Each visit is recorded as by POST /units/{unitId}/visits and answered on its own (status, receipt or error), in the order sent; ' +
      'a resent visitId is recorded once, so a phone that lost the answer sends the same batch again. ' +
      'An invalid batch (any visit malformed) is refused whole with 400 and records nothing.',
  })
  @ApiBody({ type: RecordVisitBatchDto })
  @ApiOkResponse({ type: VisitBatchResultView })
  @ApiErrors()
  async recordVisitBatch(@CurrentActor() actor: Actor, @Body(visitBatchPipe) body: VisitBatchBody): Promise<VisitBatchResultView> {
    const ctx = requestContext(actor);
    // Visits to one unit queue on its stream in the order sent; different units proceed together.
    const outcomes = await Promise.allSettled(
      body.visits.map(({ unitId, visitId, visitedAt, findings }) =>
        this.commands.recordVisit(ctx, unitId, { visitId, visitedAt, findings: { ...findings, problems: findings.problems ?? [] } }),
      ),
    );
    return visitBatchResult(body.visits, outcomes, (reason) => this.metrics?.recordAuthRefusal(reason));
  }

  @Post('units/:unitId/doorstep-services')
  @Roles(...canvassAccess.rolesOf('fieldWork'))
  @RequireDepartment('canvass')
  @ApiOperation({ summary: 'Record groceries, deliveries or medicine brought to households in home observation' })
  @ApiCreatedOrRetried(DoorstepServiceReceiptView)
  @ApiErrors({ notFound: 'Unknown unit', conflict: 'Rule violation: unit-retired, time-in-the-future' })
  async recordDoorstepService(
    @CurrentActor() actor: Actor,
    @Param() params: UnitParams,
    @Body() body: RecordDoorstepServiceDto,
    @Res({ passthrough: true }) res: StatusResponse,
  ): Promise<DoorstepServiceReceiptView> {
    const receipt = await this.commands.recordDoorstepService(requestContext(actor), params.unitId, body);
    createdOrOk(res, receipt);
    return { unitId: params.unitId, ...receipt };
  }

  @Post('gate-shifts')
  @Roles(...canvassAccess.rolesOf('fieldWork'))
  @RequireDepartment('canvass')
  @ApiOperation({ summary: 'Start a shift of gate duty at a compound gate' })
  @ApiCreatedOrRetried(GateShiftReceiptView)
  @ApiErrors({
    notFound: 'Unknown unit',
    conflict: 'Rule violation: shift-already-started, shift-overlaps-another-shift, gate-duty-needs-a-compound, unit-retired, time-in-the-future',
  })
  async startGateShift(
    @CurrentActor() actor: Actor,
    @Body() body: StartGateShiftDto,
    @Res({ passthrough: true }) res: StatusResponse,
  ): Promise<GateShiftReceiptView> {
    const receipt = await this.commands.startGateShift(requestContext(actor), body);
    createdOrOk(res, receipt);
    return receipt;
  }

  @Post('gate-shifts/:shiftId/end')
  @HttpCode(200)
  @Roles(...canvassAccess.rolesOf('fieldWork'))
  @RequireDepartment('canvass')
  @ApiOperation({ summary: 'End a shift with the people checked and registered during it' })
  @ApiOkResponse({ type: GateShiftReceiptView })
  @ApiErrors({
    notFound: 'Unknown gate shift',
    conflict: 'Rule violation: shift-ends-before-start, shift-already-ended, shift-overlaps-another-shift, registered-exceeds-checked, time-in-the-future',
  })
  endGateShift(@CurrentActor() actor: Actor, @Param() params: ShiftParams, @Body() body: EndGateShiftDto): Promise<GateShiftReceiptView> {
    return this.commands.endGateShift(requestContext(actor), params.shiftId, body);
  }

  @Get('officials/me/units')
  @ApiOperation({ summary: 'The units I answer for, and which are due today (not yet visited today, Asia/Shanghai)' })
  @ApiOkResponse({ type: MyUnitsView })
  @ApiErrors()
  myUnits(@CurrentActor() actor: Actor): Promise<MyUnitsView> {
    return this.queries.myUnits(actor);
  }
}
