import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI description of the policy-relief section (see policy-relief-figures.ts for the type). Money is integer fen. */
export class PolicyReliefCounterDto {
  @ApiProperty({ description: 'On the city day of the answer, up to its instant.' }) today!: number;
  @ApiProperty({ description: 'All recorded up to the instant of the answer.' }) total!: number;
}

export class DaysToMoneyDto {
  @ApiProperty({ description: 'Applications paid at least once.' }) paid!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Median whole days from application to the first payment.' }) median!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: '90th percentile of the same.' }) p90!: number | null;
}

export class MeasureFiguresDto {
  @ApiProperty({ example: 'M01' }) measureId!: string;
  @ApiProperty({ example: 'lighter-burden' }) area!: string;
  @ApiProperty() applications!: number;
  @ApiProperty() approvals!: number;
  @ApiProperty() rejections!: number;
  @ApiProperty({ description: 'Fen granted' }) grantedFen!: number;
  @ApiProperty({ description: 'Fen paid' }) disbursedFen!: number;
  @ApiProperty({ description: 'The measure’s city-wide budget in fen' }) budgetFen!: number;
}

export class ReliefAreaFiguresDto {
  @ApiProperty({ example: 'lighter-burden' }) area!: string;
  @ApiProperty() applications!: number;
  @ApiProperty() approvals!: number;
  @ApiProperty() grantedFen!: number;
  @ApiProperty() disbursedFen!: number;
  @ApiProperty() budgetFen!: number;
}

export class PolicyReliefFiguresDto {
  @ApiProperty() applications!: PolicyReliefCounterDto;
  @ApiProperty({ description: 'Applications that failed a rule of their measure' }) ineligible!: PolicyReliefCounterDto;
  @ApiProperty() approvals!: PolicyReliefCounterDto;
  @ApiProperty() rejections!: PolicyReliefCounterDto;
  @ApiProperty() withdrawals!: PolicyReliefCounterDto;
  @ApiProperty({ description: 'Eligible applications waiting for a decision at the instant.' }) waiting!: number;
  @ApiProperty({ description: 'Fen granted' }) grantedFen!: PolicyReliefCounterDto;
  @ApiProperty({ description: 'Fen paid' }) disbursedFen!: PolicyReliefCounterDto;
  @ApiProperty() daysToMoney!: DaysToMoneyDto;
  @ApiProperty({ type: [MeasureFiguresDto] }) byMeasure!: MeasureFiguresDto[];
  @ApiProperty({ type: [ReliefAreaFiguresDto] }) byArea!: ReliefAreaFiguresDto[];
}

export class PolicyReliefDayFiguresDto {
  @ApiProperty() applications!: number;
  @ApiProperty() approvals!: number;
  @ApiProperty() rejections!: number;
  @ApiProperty({ description: 'Waiting at the end of the day.' }) waiting!: number;
  @ApiProperty() grantedFen!: number;
  @ApiProperty() disbursedFen!: number;
}
