import { Body, Controller, Get, Inject, Param, Post, Res } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { INDUSTRIES, INDUSTRY_CODES } from '@city/contracts';
import { CurrentActor, RequireDepartment, type Actor } from '@city/auth';
import { ApiCreatedOrRetried, ApiErrors, createdOrOk, EnumField, requestContext, TextField, type StatusResponse } from '@city/service-kit';
import { GuidelineCatalog, type Guideline } from '../application/guideline-catalog';

class IndustryParams {
  @EnumField(INDUSTRY_CODES)
  industryCode!: string;
}

class MeasureDto {
  @ApiProperty({ example: 'ventilation' })
  @IsDefined()
  @IsString()
  @Matches(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, { message: '$property must be a measure code such as entry-temperature-check' })
  code!: string;

  @TextField(500)
  requirement!: string;

  @TextField(500, { optional: true })
  requirementZh?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 24 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24)
  timesPerDay?: number;
}

class IssueGuidelineDto {
  @TextField(300)
  title!: string;

  @ApiProperty({ type: [MeasureDto] })
  @IsDefined()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => MeasureDto)
  measures!: MeasureDto[];
}

class GuidelineReceiptView {
  @ApiProperty({ example: 'enterprise-reopening.guideline-software-it-services' }) streamId!: string;
  @ApiProperty({ description: 'Stream version after the command' }) version!: number;
  @ApiProperty({ description: 'Events this call appended (0 when the same guideline is issued again)' }) eventsAppended!: number;
}

/** The industries and their prevention guidelines, version by version. */
@ApiTags('guidelines')
@Controller('industries')
export class GuidelinesController {
  constructor(@Inject(GuidelineCatalog) private readonly catalog: GuidelineCatalog) {}

  @Get()
  @ApiOperation({ summary: 'The industries with the version of their guideline in force' })
  async list(): Promise<{ code: string; name: string; nameZh: string; guidelineVersion: number; measures: number }[]> {
    const out = [];
    for (const i of INDUSTRIES) {
      const g = await this.catalog.current(i.code);
      out.push({ code: i.code, name: i.name, nameZh: i.nameZh, guidelineVersion: g.guidelineVersion, measures: g.measures.length });
    }
    return out;
  }

  @Get(':industryCode/guideline')
  @ApiOperation({ summary: 'The guideline in force: the measures a declaration’s checklist must confirm' })
  current(@Param() p: IndustryParams): Promise<Guideline> {
    return this.catalog.current(p.industryCode);
  }

  @Get(':industryCode/guideline/versions')
  @ApiOperation({ summary: 'Every version of the guideline, oldest first' })
  versions(@Param() p: IndustryParams): Promise<Guideline[]> {
    return this.catalog.versions(p.industryCode);
  }

  @Post(':industryCode/guideline/versions')
  @RequireDepartment('enterprise-reopening')
  @ApiOperation({ summary: 'Issue the next version (the commission); declarations made from now on are checked against it' })
  @ApiCreatedOrRetried(GuidelineReceiptView)
  @ApiErrors({ conflict: 'duplicate-measure' })
  async issue(
    @CurrentActor() actor: Actor,
    @Param() p: IndustryParams,
    @Body() body: IssueGuidelineDto,
    @Res({ passthrough: true }) res: StatusResponse,
  ): Promise<GuidelineReceiptView> {
    const receipt = await this.catalog.issue(requestContext(actor), p.industryCode, body);
    createdOrOk(res, receipt);
    return receipt;
  }
}
