import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsDefined, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { INSPECTION_OUTCOMES, SURVEY_DIFFICULTIES, type InspectionOutcome, type SurveyDifficulty } from '@city/contracts';
import { CountField, DayField, EnumField, IdField, NestedField, TextField } from '@city/service-kit';
import { applyDecorators } from '@nestjs/common';

const MEASURE_CODE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const MAX_HEADCOUNT = 1_000_000;

/** A list of measure codes of a guideline. */
function MeasureCodesField(description: string, optional = false) {
  return applyDecorators(
    optional
      ? ApiPropertyOptional({ type: [String], description, example: ['temporary-observation-room'] })
      : ApiProperty({ type: [String], description, example: ['ventilation'] }),
    optional ? IsOptional() : IsDefined(),
    IsArray(),
    ArrayMaxSize(50),
    IsString({ each: true }),
    Matches(MEASURE_CODE, { each: true, message: 'each value in $property must be a measure code such as entry-temperature-check' }),
  );
}

export class ChecklistItemDto {
  @ApiProperty({ example: 'entry-temperature-check', description: 'Code of a measure of the industry guideline (GET /industries/:code/guideline)' })
  @IsDefined()
  @IsString()
  @Matches(MEASURE_CODE, { message: '$property must be a measure code such as entry-temperature-check' })
  measureCode!: string;

  @ApiProperty({ description: 'Whether the measure is in place' })
  @IsDefined()
  @IsBoolean()
  inPlace!: boolean;
}

export class WorkforcePlanDto {
  @CountField(MAX_HEADCOUNT, { description: 'Staff working on site', example: 30 }) onSite!: number;
  @CountField(MAX_HEADCOUNT, { description: 'Staff on site in turns', example: 20 }) rotating!: number;
  @CountField(MAX_HEADCOUNT, { description: 'Staff working from home', example: 36 }) remote!: number;
}

export class DeclareReopeningDto {
  @IdField({ description: 'Client-chosen id; the same declaration sent again is recorded once', example: 'decl-2020-02-10-01' })
  declarationId!: string;

  @DayField({ description: 'Planned reopening day (today or later)' })
  plannedReopeningDate!: string;

  @NestedField(() => ChecklistItemDto, { each: true, maxItems: 50, description: 'Every measure of the guideline, each in place or not' })
  @IsArray()
  @ArrayMaxSize(50)
  checklist!: ChecklistItemDto[];

  @NestedField(() => WorkforcePlanDto)
  workforcePlan!: WorkforcePlanDto;

  @CountField(MAX_HEADCOUNT, { description: 'Staff back from outside the city, still in home observation', example: 7 })
  returneesInObservation!: number;
}

export class RecordInspectionDto {
  @IdField({ description: 'Client-chosen id of the inspection; sent again, it is recorded once', example: 'insp-jsr-0001' })
  inspectionId!: string;

  @IdField({ description: 'The declaration inspected' })
  declarationId!: string;

  @EnumField(INSPECTION_OUTCOMES)
  outcome!: InspectionOutcome;

  @MeasureCodesField('Measures to put right (rectification-required)', true)
  rectificationItems?: string[];

  @DayField({ optional: true, description: 'Day by which to put them right (rectification-required)' })
  rectificationDueDate?: string;

  @TextField(2000, { optional: true, multiline: true })
  findings?: string;
}

export class SubmitRectificationDto {
  @IdField({ description: 'The declaration whose inspection named the items' })
  declarationId!: string;

  @MeasureCodesField('Every item the inspection named, put right')
  rectifiedItems!: string[];

  @TextField(2000, { optional: true, multiline: true })
  note?: string;
}

export class DailyReportDto {
  @DayField({ description: 'The city day reported (today or earlier, not before the reopening)' })
  reportDate!: string;

  @CountField(MAX_HEADCOUNT, { description: 'Staff on site that day', example: 41 })
  onSiteHeadcount!: number;

  @ApiProperty({ description: 'Capacity in use, percent of normal', minimum: 0, maximum: 1000, example: 55 })
  @IsDefined()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1000)
  capacityPercent!: number;
}

export class SurveyAnswerDto {
  @IdField({ description: 'The questionnaire answered', example: 'survey-2020-02-enterprise-difficulties' })
  surveyId!: string;

  @ApiProperty({ enum: SURVEY_DIFFICULTIES, isArray: true })
  @IsDefined()
  @IsArray()
  @ArrayMaxSize(SURVEY_DIFFICULTIES.length)
  @Matches(new RegExp(`^(${SURVEY_DIFFICULTIES.join('|')})$`), {
    each: true,
    message: `each value in $property must be one of ${SURVEY_DIFFICULTIES.join(', ')}`,
  })
  difficulties!: SurveyDifficulty[];

  @CountField(MAX_HEADCOUNT, { optional: true, description: 'Staff short of normal' })
  staffShortfall?: number;

  @ApiPropertyOptional({ description: 'Months the enterprise can pay its costs from cash', minimum: 0, maximum: 120 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(120)
  cashFlowMonths?: number;

  @CountField(3650, { optional: true, description: 'Days its masks and disinfectant last' })
  preventionSuppliesDays?: number;

  @TextField(2000, { optional: true, multiline: true })
  note?: string;
}
