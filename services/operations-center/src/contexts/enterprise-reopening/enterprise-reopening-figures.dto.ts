import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI description of the enterprise-reopening section (see enterprise-reopening-figures.ts for the type). */
export class EnterpriseReopeningCounterDto {
  @ApiProperty({ description: 'On the city day of the answer, up to its instant.' }) today!: number;
  @ApiProperty({ description: 'All recorded up to the instant of the answer.' }) total!: number;
}

export class ReopeningShareDto {
  @ApiProperty({ description: 'Enterprises registered.' }) registered!: number;
  @ApiProperty({ description: 'Enterprises reopened.' }) reopened!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Share of registered enterprises reopened, 0..1; null when none is registered.' }) reopeningRate!:
    number | null;
}

export class WorkforceDto {
  @ApiProperty({ description: 'Usual headcount of the enterprises reopened.' }) usualHeadcount!: number;
  @ApiProperty({ description: 'On-site headcount reported for today (corrections replace earlier reports).' }) onSiteToday!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'onSiteToday / usualHeadcount.' }) onSiteShare!: number | null;
  @ApiProperty({ description: 'Enterprises that reported today.' }) reportsToday!: number;
}

export class InspectionsDto extends EnterpriseReopeningCounterDto {
  @ApiProperty({ description: 'By outcome: passed, rectification-required, suspended.', type: 'object', additionalProperties: { type: 'object' } })
  byOutcome!: Record<string, EnterpriseReopeningCounterDto>;
}

export class AppealAgesDto {
  @ApiProperty({ description: 'Waiting for their answer less than a day.' }) under1Day!: number;
  @ApiProperty({ description: 'One to three days.' }) from1To3Days!: number;
  @ApiProperty({ description: 'Three days or more.' }) over3Days!: number;
}

export class AppealsDto {
  @ApiProperty() filed!: EnterpriseReopeningCounterDto;
  @ApiProperty({ description: 'Appeals waiting for their answer.' }) open!: number;
  @ApiProperty({ description: 'Appeals escalated at their due time and not answered since.' }) overdue!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) openByDepartment!: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) overdueByDepartment!: Record<string, number>;
  @ApiProperty({ description: 'Open appeals by how long they have waited for their answer (since filed, or since reopened).' }) openByAge!: AppealAgesDto;
  @ApiProperty({ description: 'The same, by department.', type: 'object', additionalProperties: { type: 'object' } })
  openByDepartmentAndAge!: Record<string, AppealAgesDto>;
}

export class EnterpriseReopeningFiguresDto extends ReopeningShareDto {
  @ApiProperty({ description: 'Reopening by industry code.', type: 'object', additionalProperties: { type: 'object' } })
  byIndustry!: Record<string, ReopeningShareDto>;
  @ApiProperty() workforce!: WorkforceDto;
  @ApiProperty() declarations!: EnterpriseReopeningCounterDto;
  @ApiProperty() inspections!: InspectionsDto;
  @ApiProperty() appeals!: AppealsDto;
}

export class EnterpriseReopeningDayFiguresDto {
  @ApiProperty() registered!: number;
  @ApiProperty() reopened!: number;
  @ApiProperty({ type: Number, nullable: true }) reopeningRate!: number | null;
  @ApiProperty({ description: 'On-site headcount reported for the day.' }) onSite!: number;
  @ApiProperty() declarations!: number;
  @ApiProperty() inspections!: number;
  @ApiProperty({ description: 'Open appeals at the end of the day.' }) appealsOpen!: number;
  @ApiProperty({ description: 'Overdue appeals at the end of the day.' }) appealsOverdue!: number;
}
