import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequireDepartment, Roles, type Actor } from '@city/auth';
import { ApiCreatedOrRetried, ApiErrors, createdOrOk, requestContext, type StatusResponse } from '@city/service-kit';
import { CanvassCommands } from '../application/canvass-commands';
import { CanvassQueries } from '../application/canvass-queries';
import { canvassAccess } from '../domain/access-policy';
import { UnitReceiptView } from './dto/receipts.dto';
import {
  AssignOfficialDto,
  FindUnitsQuery,
  HistoryQuery,
  OfficialOnDayQuery,
  OfficialOnDayView,
  RegisterUnitDto,
  RetireUnitDto,
  UnitDetailsView,
  UnitHistoryView,
  UnitListItemView,
  UnitParams,
  UpdateUnitSizeDto,
} from './dto/unit.dto';

const UNKNOWN_UNIT = 'Unknown unit';
const UNIT_RULES = 'version_conflict (expectedVersion is stale) or rule violation: unit-retired';

/** Units of responsibility: registration, size, retirement, the responsible official, history. */
@ApiTags('units')
@Controller('units')
export class UnitsController {
  constructor(
    @Inject(CanvassCommands) private readonly commands: CanvassCommands,
    @Inject(CanvassQueries) private readonly queries: CanvassQueries,
  ) {}

  @Post()
  @Roles(...canvassAccess.rolesOf('manage'))
  @RequireDepartment('canvass')
  @ApiOperation({ summary: 'Register a unit of one of the five responsibility kinds' })
  @ApiCreatedOrRetried(UnitReceiptView)
  @ApiErrors({ conflict: 'Rule violation: unknown-subdistrict, unit-already-registered' })
  async register(@CurrentActor() actor: Actor, @Body() body: RegisterUnitDto, @Res({ passthrough: true }) res: StatusResponse): Promise<UnitReceiptView> {
    const receipt = await this.commands.registerUnit(requestContext(actor), body);
    createdOrOk(res, receipt);
    return receipt;
  }

  @Get()
  @ApiOperation({ summary: 'Units of an area (a district-bound token reads its own district)' })
  @ApiOkResponse({ type: [UnitListItemView] })
  @ApiErrors()
  find(@CurrentActor() actor: Actor, @Query() query: FindUnitsQuery): Promise<UnitListItemView[]> {
    const { limit, ...filter } = query;
    return this.queries.findUnits(actor, filter, limit ?? 500);
  }

  @Get(':unitId')
  @ApiOperation({ summary: 'A unit as it is now, with its stream version' })
  @ApiOkResponse({ type: UnitDetailsView })
  @ApiErrors({ notFound: UNKNOWN_UNIT })
  get(@CurrentActor() actor: Actor, @Param() params: UnitParams): Promise<UnitDetailsView> {
    return this.queries.unit(actor, params.unitId);
  }

  @Patch(':unitId/size')
  @Roles(...canvassAccess.rolesOf('editUnit'))
  @RequireDepartment('canvass')
  @ApiOperation({ summary: 'Update the size of a unit (its responsible official, district staff or the department)' })
  @ApiOkResponse({ type: UnitReceiptView })
  @ApiErrors({ notFound: UNKNOWN_UNIT, conflict: UNIT_RULES })
  async updateSize(@CurrentActor() actor: Actor, @Param() params: UnitParams, @Body() body: UpdateUnitSizeDto): Promise<UnitReceiptView> {
    return { unitId: params.unitId, ...(await this.commands.updateUnitSize(requestContext(actor), params.unitId, body)) };
  }

  @Post(':unitId/retire')
  @HttpCode(200)
  @Roles(...canvassAccess.rolesOf('manage'))
  @RequireDepartment('canvass')
  @ApiOperation({ summary: 'Retire a unit; retiring it again changes nothing' })
  @ApiOkResponse({ type: UnitReceiptView })
  @ApiErrors({ notFound: UNKNOWN_UNIT, conflict: 'version_conflict (expectedVersion is stale)' })
  async retire(@CurrentActor() actor: Actor, @Param() params: UnitParams, @Body() body: RetireUnitDto): Promise<UnitReceiptView> {
    return { unitId: params.unitId, ...(await this.commands.retireUnit(requestContext(actor), params.unitId, body)) };
  }

  @Put(':unitId/official')
  @Roles(...canvassAccess.rolesOf('manage'))
  @RequireDepartment('canvass')
  @ApiOperation({ summary: 'Assign (or reassign) the official who answers for the unit; the history is kept' })
  @ApiOkResponse({ type: UnitReceiptView })
  @ApiErrors({ notFound: UNKNOWN_UNIT, conflict: UNIT_RULES })
  async assignOfficial(@CurrentActor() actor: Actor, @Param() params: UnitParams, @Body() body: AssignOfficialDto): Promise<UnitReceiptView> {
    return { unitId: params.unitId, ...(await this.commands.assignOfficial(requestContext(actor), params.unitId, body)) };
  }

  @Get(':unitId/official')
  @ApiOperation({ summary: 'Who answered for the unit on a given day (Asia/Shanghai)' })
  @ApiOkResponse({ type: OfficialOnDayView })
  @ApiErrors({ notFound: UNKNOWN_UNIT })
  officialOn(@CurrentActor() actor: Actor, @Param() params: UnitParams, @Query() query: OfficialOnDayQuery): Promise<OfficialOnDayView> {
    return this.queries.officialOn(actor, params.unitId, query.on);
  }

  @Get(':unitId/history')
  @ApiOperation({ summary: "The unit's events: registration, sizes, assignments, visits, doorstep services, retirement" })
  @ApiOkResponse({ type: UnitHistoryView })
  @ApiErrors({ notFound: UNKNOWN_UNIT })
  history(@CurrentActor() actor: Actor, @Param() params: UnitParams, @Query() query: HistoryQuery): Promise<UnitHistoryView> {
    return this.queries.unitHistory(actor, params.unitId, query);
  }
}
