import { Body, Controller, Get, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Public, RequireDepartment, type Actor } from '@city/auth';
import { isDistrictCode } from '@city/contracts';
import { ValidationError } from '@city/eventsourcing';
import { ApiCreatedOrRetried, ApiErrors, createdOrOk, requestContext, type StatusResponse } from '@city/service-kit';
import { CommitteeCatalog, type CommitteeEntry, type SubdistrictEntry } from '../application/committee-catalog';
import { CommitteeEntryView, CommitteesDto, CommitteesParams, CommitteesReceiptView, SubdistrictEntryView, SubdistrictParams } from './dto/committee.dto';

/** The residents' committees of each district: registered by the district (or the city), listed by name for the registration page. */
@ApiTags('committees')
@Controller()
export class CommitteesController {
  constructor(@Inject(CommitteeCatalog) private readonly catalog: CommitteeCatalog) {}

  @Post('districts/:code/committees')
  @RequireDepartment('traveller-health')
  @ApiOperation({
    summary: "A district registers its residents' committees with their subdistricts (the registration page offers them by name)",
    description: 'The whole list or part of it; a committee already registered under the same names records nothing, under other names it is renamed.',
  })
  @ApiCreatedOrRetried(CommitteesReceiptView)
  @ApiErrors()
  async register(
    @CurrentActor() actor: Actor,
    @Param() p: CommitteesParams,
    @Body() body: CommitteesDto,
    @Res({ passthrough: true }) res: StatusResponse,
  ): Promise<CommitteesReceiptView> {
    const committees = body.committees.map(({ subdistrictCode, subdistrictName, committeeCode, name }) => ({
      subdistrictCode,
      subdistrictName,
      committeeCode,
      name,
    }));
    const receipt = await this.catalog.register(requestContext(actor), p.code, committees);
    createdOrOk(res, receipt);
    return { districtCode: p.code, ...receipt };
  }

  @Get('districts/:code/subdistricts')
  @Public()
  @ApiOperation({ summary: "The district's subdistricts and towns that registered residents' committees, with their names" })
  @ApiOkResponse({ type: [SubdistrictEntryView] })
  @ApiErrors()
  subdistricts(@Param() p: CommitteesParams): Promise<SubdistrictEntry[]> {
    return this.catalog.subdistricts(p.code);
  }

  @Get('subdistricts/:code/committees')
  @Public()
  @ApiOperation({ summary: "A subdistrict's residents' committees, with their names" })
  @ApiOkResponse({ type: [CommitteeEntryView] })
  @ApiErrors()
  committees(@Param() p: SubdistrictParams): Promise<CommitteeEntry[]> {
    if (!isDistrictCode(p.code.slice(0, 6)))
      throw new ValidationError('Unknown district', { code: [`code is not in one of the city's 16 districts (${p.code.slice(0, 6)})`] });
    return this.catalog.committees(p.code);
  }
}
