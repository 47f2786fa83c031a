import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI description of the policy-relief section (see policy-relief-figures.ts for the type). */
export class PolicyReliefCounterDto {
  @ApiProperty({ description: 'On the city day of the answer, up to its instant.' }) today!: number;
  @ApiProperty({ description: 'All recorded up to the instant of the answer.' }) total!: number;
}

export class PolicyReliefFiguresDto {
  @ApiProperty({ description: 'Cases open at the instant of the answer.' }) openCases!: number;
  @ApiProperty() opened!: PolicyReliefCounterDto;
  @ApiProperty() closed!: PolicyReliefCounterDto;
}

export class PolicyReliefDayFiguresDto {
  @ApiProperty({ description: 'Cases open at the end of the day.' }) openCases!: number;
  @ApiProperty() opened!: number;
  @ApiProperty() closed!: number;
}
