import { Body, Controller, Get, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequireDepartment, Roles, type Actor } from '@city/auth';
import { ApiCreatedOrRetried, ApiErrors, createdOrOk, requestContext, type StatusResponse } from '@city/service-kit';
import { CanvassCommands } from '../application/canvass-commands';
import { CanvassQueries } from '../application/canvass-queries';
import { canvassAccess } from '../domain/access-policy';
import { DistrictParams, RegisterSubdistrictDto, SubdistrictView } from './dto/reference-data.dto';
import { SubdistrictReceiptView } from './dto/receipts.dto';

/** Subdistricts: reference data each district registers, which units point at. */
@ApiTags('reference data')
@Controller()
export class ReferenceDataController {
  constructor(
    @Inject(CanvassCommands) private readonly commands: CanvassCommands,
    @Inject(CanvassQueries) private readonly queries: CanvassQueries,
  ) {}

  @Post('subdistricts')
  @Roles(...canvassAccess.rolesOf('manage'))
  @RequireDepartment('canvass')
  @ApiOperation({ summary: 'Register a subdistrict (or town) of a district' })
  @ApiCreatedOrRetried(SubdistrictReceiptView)
  @ApiErrors({ conflict: 'Rule violation: subdistrict-already-registered, subdistrict-name-taken' })
  async registerSubdistrict(
    @CurrentActor() actor: Actor,
    @Body() body: RegisterSubdistrictDto,
    @Res({ passthrough: true }) res: StatusResponse,
  ): Promise<SubdistrictReceiptView> {
    const receipt = await this.commands.registerSubdistrict(requestContext(actor), body);
    createdOrOk(res, receipt);
    return { districtCode: body.districtCode, subdistrictCode: body.subdistrictCode, ...receipt };
  }

  @Get('districts/:districtCode/subdistricts')
  @ApiOperation({ summary: 'The subdistricts a district has registered' })
  @ApiOkResponse({ type: [SubdistrictView] })
  @ApiErrors()
  listSubdistricts(@Param() params: DistrictParams): Promise<SubdistrictView[]> {
    return this.queries.subdistricts(params.districtCode);
  }
}
