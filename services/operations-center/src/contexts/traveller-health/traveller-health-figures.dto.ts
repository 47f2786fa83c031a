import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI description of the traveller-health section (see traveller-health-figures.ts for the type). */
export class TravellerHealthCounterDto {
  @ApiProperty({ description: 'On the city day of the answer, up to its instant.' }) today!: number;
  @ApiProperty({ description: 'All recorded up to the instant of the answer.' }) total!: number;
}

export class TravellerHealthFiguresDto {
  @ApiProperty({ description: 'Cases open at the instant of the answer.' }) openCases!: number;
  @ApiProperty() opened!: TravellerHealthCounterDto;
  @ApiProperty() closed!: TravellerHealthCounterDto;
}

export class TravellerHealthDayFiguresDto {
  @ApiProperty({ description: 'Cases open at the end of the day.' }) openCases!: number;
  @ApiProperty() opened!: number;
  @ApiProperty() closed!: number;
}
