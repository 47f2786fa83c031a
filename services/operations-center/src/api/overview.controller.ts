import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { DISTRICTS } from '@city/contracts';
import { CurrentActor, type Actor } from '@city/auth';
import { parseAsOf } from '../read-model/as-of';
import {
  OperationsReadModel,
  type CityOverview,
  type CitySubdistrictsAnswer,
  type DistrictOverview,
  type SeriesAnswer,
  type SubdistrictsAnswer,
} from '../read-model/operations-read-model';
import { OPS_CLOCK, type Clock } from '../operations-center.tokens';
import { assertCanReadDistrict, assertCityWide, isCityWide, readableDistrictCodes } from './access';
import { checkDistrictCode, checkSubdistrictCode, DistrictCodePipe } from './district-code.pipe';
import { AsOfQuery, SeriesQuery } from './query-dtos';
import { CityOverviewDto, CitySubdistrictsDto, DistrictOverviewDto, SeriesDto, SessionDto, SubdistrictsDto } from './response-dtos';

const DEFAULT_SERIES_DAYS = 14;

/**
 * The query API of the city operations center and the district dashboards.
 * District tokens read only their district (403 otherwise); city-wide tokens read all.
 */
@ApiTags('operations center')
@ApiForbiddenResponse({ description: 'The token may not read this district (or the whole city).' })
@Controller('api')
export class OverviewController {
  constructor(
    private readonly readModel: OperationsReadModel,
    @Inject(OPS_CLOCK) private readonly clock: Clock,
  ) {}

  @Get('me')
  @ApiOperation({ summary: 'Who the token is and which districts it may read' })
  @ApiOkResponse({ type: SessionDto })
  me(@CurrentActor() actor: Actor): SessionDto {
    const codes = readableDistrictCodes(actor);
    return {
      sub: actor.sub,
      role: actor.role,
      ...(actor.district !== undefined && { district: actor.district }),
      ...(actor.name !== undefined && { name: actor.name }),
      cityWide: isCityWide(actor),
      districts: DISTRICTS.filter((d) => codes.includes(d.code)).map((d) => ({ code: d.code, name: d.name, nameZh: d.nameZh })),
    };
  }

  @Get('city/overview')
  @ApiOperation({ summary: 'The whole city and its 16 districts, live or as of a past instant' })
  @ApiOkResponse({ type: CityOverviewDto })
  @ApiBadRequestResponse({ description: 'asOf is not an ISO-8601 instant with offset, or is in the future.' })
  cityOverview(@CurrentActor() actor: Actor, @Query() query: AsOfQuery): Promise<CityOverview> {
    assertCityWide(actor);
    return this.readModel.cityOverview(parseAsOf(query.asOf, this.clock()));
  }

  @Get('city/subdistricts')
  @ApiOperation({ summary: 'Every subdistrict and town of the city with its figures (e.g. to find those behind today)' })
  @ApiOkResponse({ type: CitySubdistrictsDto })
  @ApiBadRequestResponse({ description: 'asOf is not an ISO-8601 instant with offset, or is in the future.' })
  citySubdistricts(@CurrentActor() actor: Actor, @Query() query: AsOfQuery): Promise<CitySubdistrictsAnswer> {
    assertCityWide(actor);
    return this.readModel.citySubdistricts(parseAsOf(query.asOf, this.clock()));
  }

  @Get('districts/:code/overview')
  @ApiOperation({ summary: 'One district, live or as of a past instant' })
  @ApiParam({ name: 'code', description: 'District code (GB/T 2260)', example: '310105' })
  @ApiOkResponse({ type: DistrictOverviewDto })
  @ApiBadRequestResponse({ description: 'Unknown district code, or a bad asOf.' })
  districtOverview(@CurrentActor() actor: Actor, @Param('code', DistrictCodePipe) code: string, @Query() query: AsOfQuery): Promise<DistrictOverview> {
    const at = parseAsOf(query.asOf, this.clock());
    assertCanReadDistrict(actor, code);
    return this.readModel.districtOverview(code, at);
  }

  @Get('districts/:code/subdistricts')
  @ApiOperation({ summary: 'The subdistricts and towns of one district, with their figures' })
  @ApiParam({ name: 'code', description: 'District code (GB/T 2260)', example: '310105' })
  @ApiOkResponse({ type: SubdistrictsDto })
  @ApiBadRequestResponse({ description: 'Unknown district code, or a bad asOf.' })
  subdistricts(@CurrentActor() actor: Actor, @Param('code', DistrictCodePipe) code: string, @Query() query: AsOfQuery): Promise<SubdistrictsAnswer> {
    const at = parseAsOf(query.asOf, this.clock());
    assertCanReadDistrict(actor, code);
    return this.readModel.subdistricts(code, at);
  }

  @Get('series')
  @ApiOperation({ summary: 'Daily figures of the last days (ending today, Asia/Shanghai), for the city, a district or one of its subdistricts' })
  @ApiOkResponse({ type: SeriesDto })
  @ApiBadRequestResponse({ description: 'Unknown district code, a subdistrict without its district or outside it, or days outside 1..90.' })
  series(@CurrentActor() actor: Actor, @Query() query: SeriesQuery): Promise<SeriesAnswer> {
    const district = query.district === undefined ? undefined : checkDistrictCode(query.district, 'district');
    const subdistrict = query.subdistrict === undefined ? undefined : checkSubdistrictCode(query.subdistrict, district);
    if (district === undefined) assertCityWide(actor);
    else assertCanReadDistrict(actor, district);
    return this.readModel.series(this.clock(), query.days ?? DEFAULT_SERIES_DAYS, district, subdistrict);
  }
}
