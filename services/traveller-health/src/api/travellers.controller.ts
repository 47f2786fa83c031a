import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequireDepartment, type Actor } from '@city/auth';
import { ApiCreatedOrRetried, ApiErrors, createdOrOk, requestContext, type StatusResponse } from '@city/service-kit';
import type { OpenFlag } from '../application/observation-board-read-model';
import { ObservationCommands } from '../application/observation-commands';
import { TravellerQueries, type CheckInsOfDay, type PersonalDataReadRecord, type TravellerView, type WorkListItem } from '../application/traveller-queries';
import {
  AreaQuery,
  CheckInDto,
  CheckInsOfDayView,
  CheckInsQuery,
  DistrictParams,
  FlagParams,
  OpenFlagView,
  PersonalDataReadDto,
  PersonalDataView,
  ReferralDto,
  ReferralOutcomeDto,
  ReferralParams,
  TransferDto,
  TravellerParams,
  TravellerReceiptView,
  WorkListQuery,
} from './dto/observation.dto';

/** Community work: the work list, a traveller's record, home observation, and personal data read on request with an audit trail. */
@ApiTags('community')
@Controller()
export class TravellersController {
  constructor(
    @Inject(ObservationCommands) private readonly commands: ObservationCommands,
    @Inject(TravellerQueries) private readonly queries: TravellerQueries,
  ) {}

  @Get('work-list')
  @ApiOperation({ summary: "Key persons and people in observation of an area (a community worker: their subdistrict's committees)" })
  @ApiErrors()
  workList(@CurrentActor() actor: Actor, @Query() query: WorkListQuery): Promise<WorkListItem[]> {
    const { limit, ...filter } = query;
    return this.queries.workListOf(actor, filter, limit ?? 200);
  }

  @Get('check-ins')
  @ApiOperation({
    summary: "A day's check-ins of the people under observation in an area (default today): made, missed, due, overdue",
    description: 'Pseudonymous. A community worker reads their subdistrict (narrow it with committeeCode); district staff their district.',
  })
  @ApiOkResponse({ type: CheckInsOfDayView })
  @ApiErrors()
  checkIns(@CurrentActor() actor: Actor, @Query() query: CheckInsQuery): Promise<CheckInsOfDay> {
    const { limit, day, ...area } = query;
    return this.queries.checkInsOf(actor, area, day, limit ?? 500);
  }

  @Get('open-flags')
  @ApiOperation({ summary: 'Open flags (missed check-ins, fevers) of the people under observation in an area, newest first' })
  @ApiOkResponse({ type: [OpenFlagView] })
  @ApiErrors()
  openFlags(@CurrentActor() actor: Actor, @Query() query: AreaQuery): Promise<OpenFlag[]> {
    const { limit, ...area } = query;
    return this.queries.openFlagsOf(actor, area, limit ?? 500);
  }

  @Get('travellers/:travellerId')
  @ApiOperation({ summary: 'A traveller, pseudonymous: class with the rules that fired and their rule set, observation, flags' })
  @ApiErrors({ notFound: 'Unknown traveller' })
  traveller(@CurrentActor() actor: Actor, @Param() p: TravellerParams): Promise<TravellerView> {
    return this.queries.traveller(actor, p.travellerId);
  }

  @Post('travellers/:travellerId/personal-data-reads')
  @HttpCode(200)
  @RequireDepartment('traveller-health')
  @ApiOperation({ summary: "Shows a person's name and phone, for a reason; the read is recorded in the district's audit trail" })
  @ApiOkResponse({ type: PersonalDataView })
  @ApiErrors({ notFound: 'Unknown traveller', conflict: 'Rule violation: personal-data-erased' })
  readPersonalData(@CurrentActor() actor: Actor, @Param() p: TravellerParams, @Body() body: PersonalDataReadDto): Promise<PersonalDataView> {
    return this.queries.readPersonalData(actor, p.travellerId, body.reason);
  }

  @Get('districts/:code/personal-data-reads')
  @ApiOperation({ summary: 'Who read whose personal data in the district, when and why (newest first)' })
  @ApiErrors()
  auditTrail(@CurrentActor() actor: Actor, @Param() p: DistrictParams): Promise<PersonalDataReadRecord[]> {
    return this.queries.auditTrail(actor, p.code, 500);
  }

  @Post('travellers/:travellerId/observation')
  @RequireDepartment('traveller-health')
  @ApiOperation({ summary: 'Starts 14 days of home observation (check-ins twice a day, release on day 15)' })
  @ApiCreatedOrRetried(TravellerReceiptView)
  @ApiErrors({ notFound: 'Unknown traveller', conflict: 'Rule violation: already-under-observation' })
  async start(@CurrentActor() actor: Actor, @Param() p: TravellerParams, @Res({ passthrough: true }) res: StatusResponse): Promise<TravellerReceiptView> {
    return answered(res, await this.commands.start(requestContext(actor), p.travellerId));
  }

  @Post('travellers/:travellerId/check-ins')
  @RequireDepartment('traveller-health')
  @ApiOperation({ summary: 'A check-in (morning or evening); a fever raises a flag to the community' })
  @ApiCreatedOrRetried(TravellerReceiptView)
  @ApiErrors({ notFound: 'Unknown traveller', conflict: 'Rule violation: not-under-observation, check-in-outside-observation' })
  async checkIn(@CurrentActor() actor: Actor, @Param() p: TravellerParams, @Body() b: CheckInDto, @Res({ passthrough: true }) res: StatusResponse) {
    return answered(res, await this.commands.checkIn(requestContext(actor), p.travellerId, b.slot, b.temperatureC, b.symptomatic));
  }

  @Post('travellers/:travellerId/flags/:flagId/resolve')
  @RequireDepartment('traveller-health')
  @ApiOperation({ summary: 'Resolves a flag (missed check-in or fever)' })
  @ApiCreatedOrRetried(TravellerReceiptView)
  @ApiErrors({ notFound: 'Unknown traveller', conflict: 'Rule violation: unknown-flag' })
  async resolveFlag(@CurrentActor() actor: Actor, @Param() p: FlagParams, @Res({ passthrough: true }) res: StatusResponse) {
    return answered(res, await this.commands.resolveFlag(requestContext(actor), p.travellerId, p.flagId));
  }

  @Post('travellers/:travellerId/referrals')
  @RequireDepartment('traveller-health')
  @ApiOperation({ summary: 'Refers the person to a fever clinic' })
  @ApiCreatedOrRetried(TravellerReceiptView)
  @ApiErrors({ notFound: 'Unknown traveller', conflict: 'Rule violation: not-under-observation' })
  async refer(@CurrentActor() actor: Actor, @Param() p: TravellerParams, @Body() b: ReferralDto, @Res({ passthrough: true }) res: StatusResponse) {
    return answered(res, await this.commands.refer(requestContext(actor), p.travellerId, b.referralId));
  }

  @Post('travellers/:travellerId/referrals/:referralId/outcome')
  @RequireDepartment('traveller-health')
  @ApiOperation({ summary: 'The outcome of a fever-clinic referral' })
  @ApiCreatedOrRetried(TravellerReceiptView)
  @ApiErrors({ notFound: 'Unknown traveller', conflict: 'Rule violation: unknown-referral' })
  async outcome(@CurrentActor() actor: Actor, @Param() p: ReferralParams, @Body() b: ReferralOutcomeDto, @Res({ passthrough: true }) res: StatusResponse) {
    return answered(res, await this.commands.recordOutcome(requestContext(actor), p.travellerId, p.referralId, b.outcome));
  }

  @Post('travellers/:travellerId/release')
  @RequireDepartment('traveller-health')
  @ApiOperation({ summary: 'Releases on or after day 15 (the scheduler does it on its own); before day 15: 409 release-before-day-15' })
  @ApiCreatedOrRetried(TravellerReceiptView)
  @ApiErrors({ notFound: 'Unknown traveller', conflict: 'Rule violation: release-before-day-15, referral-open' })
  async release(@CurrentActor() actor: Actor, @Param() p: TravellerParams, @Res({ passthrough: true }) res: StatusResponse) {
    return answered(res, await this.commands.release(requestContext(actor), p.travellerId));
  }

  @Post('travellers/:travellerId/transfer')
  @RequireDepartment('traveller-health')
  @ApiOperation({ summary: 'Transfers a person in observation who moved to another community, with the history' })
  @ApiCreatedOrRetried(TravellerReceiptView)
  @ApiErrors({ notFound: 'Unknown traveller', conflict: 'Rule violation: not-under-observation' })
  async transfer(@CurrentActor() actor: Actor, @Param() p: TravellerParams, @Body() b: TransferDto, @Res({ passthrough: true }) res: StatusResponse) {
    return answered(res, await this.commands.transfer(requestContext(actor), p.travellerId, { ...b }));
  }

  @Post('travellers/:travellerId/erasure')
  @RequireDepartment('traveller-health')
  @ApiOperation({ summary: "Erases a person's personal data now (destroys their data key); counts stay" })
  @ApiCreatedOrRetried(TravellerReceiptView)
  @ApiErrors({ notFound: 'Unknown traveller', conflict: 'Rule violation: erasure-during-observation' })
  async erase(@CurrentActor() actor: Actor, @Param() p: TravellerParams, @Res({ passthrough: true }) res: StatusResponse) {
    return answered(res, await this.commands.erase(requestContext(actor), p.travellerId));
  }
}

function answered(res: StatusResponse, receipt: TravellerReceiptView): TravellerReceiptView {
  createdOrOk(res, receipt);
  return receipt;
}
