import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type Actor } from '@city/auth';
import { parseAsOf } from '../read-model/as-of';
import { OperationsReadModel } from '../read-model/operations-read-model';
import { OPS_CLOCK, type Clock } from '../operations-center.tokens';
import { assertCanReadDistrict, assertCityWide } from './access';
import { DistrictCodePipe } from './district-code.pipe';
import { figuresCsv } from './figures-csv';
import type { HttpResponse } from './http-types';
import { AsOfQuery } from './query-dtos';

/**
 * The tables of the dashboard as CSV files, for the reports operators send
 * on: the 16 districts, or one district's subdistricts, live or as of a past
 * instant. Same access rules as the JSON answers they are built from.
 */
@ApiTags('operations center')
@ApiForbiddenResponse({ description: 'The token may not read this district (or the whole city).' })
@Controller('api')
export class ExportController {
  constructor(
    private readonly readModel: OperationsReadModel,
    @Inject(OPS_CLOCK) private readonly clock: Clock,
  ) {}

  @Get('city/districts.csv')
  @ApiOperation({ summary: 'The 16 districts and their figures as CSV (UTF-8 with BOM), live or as of a past instant' })
  @ApiProduces('text/csv')
  @ApiBadRequestResponse({ description: 'A bad asOf.' })
  async districts(@CurrentActor() actor: Actor, @Query() query: AsOfQuery, @Res({ passthrough: true }) res: HttpResponse): Promise<string> {
    assertCityWide(actor);
    const city = await this.readModel.cityOverview(parseAsOf(query.asOf, this.clock()));
    const rows = city.districts.map((d) => ({
      place: { district: d.district.code, name: d.district.name, nameZh: d.district.nameZh, asOf: city.asOf, day: city.day },
      figures: d.figures,
    }));
    attachCsv(res, `districts-${city.day}.csv`);
    return figuresCsv(rows, ['district', 'name', 'nameZh', 'asOf', 'day']);
  }

  @Get('districts/:code/subdistricts.csv')
  @ApiOperation({ summary: 'The subdistricts and towns of one district and their figures as CSV (UTF-8 with BOM)' })
  @ApiParam({ name: 'code', description: 'District code (GB/T 2260)', example: '310105' })
  @ApiProduces('text/csv')
  @ApiBadRequestResponse({ description: 'Unknown district code, or a bad asOf.' })
  async subdistricts(
    @CurrentActor() actor: Actor,
    @Param('code', DistrictCodePipe) code: string,
    @Query() query: AsOfQuery,
    @Res({ passthrough: true }) res: HttpResponse,
  ): Promise<string> {
    const at = parseAsOf(query.asOf, this.clock());
    assertCanReadDistrict(actor, code);
    const answer = await this.readModel.subdistricts(code, at);
    const rows = answer.subdistricts.map((s) => ({
      place: { subdistrict: s.code, name: s.name, district: code, asOf: answer.asOf, day: answer.day },
      figures: s.figures,
    }));
    attachCsv(res, `subdistricts-${code}-${answer.day}.csv`);
    return figuresCsv(rows, ['subdistrict', 'name', 'district', 'asOf', 'day']);
  }
}

/** Sent as a file download; never cached, since the figures move. */
function attachCsv(res: HttpResponse, filename: string): void {
  res.header('Content-Type', 'text/csv; charset=utf-8');
  res.header('Content-Disposition', `attachment; filename="${filename}"`);
  res.header('Cache-Control', 'no-store');
}
