import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI description of the enterprise-reopening section (see enterprise-reopening-figures.ts for the type). */
export class EnterpriseReopeningCounterDto {
  @ApiProperty({ description: 'On the city day of the answer, up to its instant.' }) today!: number;
  @ApiProperty({ description: 'All recorded up to the instant of the answer.' }) total!: number;
}

export class EnterpriseReopeningFiguresDto {
  @ApiProperty({ description: 'Cases open at the instant of the answer.' }) openCases!: number;
  @ApiProperty() opened!: EnterpriseReopeningCounterDto;
  @ApiProperty() closed!: EnterpriseReopeningCounterDto;
}

export class EnterpriseReopeningDayFiguresDto {
  @ApiProperty({ description: 'Cases open at the end of the day.' }) openCases!: number;
  @ApiProperty() opened!: number;
  @ApiProperty() closed!: number;
}
