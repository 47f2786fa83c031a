import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI description of the traveller-health section (see traveller-health-figures.ts for the type). */
export class TravellerHealthCounterDto {
  @ApiProperty({ description: 'On the city day of the answer, up to its instant.' }) today!: number;
  @ApiProperty({ description: 'All recorded up to the instant of the answer.' }) total!: number;
}

export class TravellerHealthRegistrationsDto extends TravellerHealthCounterDto {
  @ApiProperty({
    description: 'By checkpoint kind (road, railway, airport, port).',
    additionalProperties: { $ref: '#/components/schemas/TravellerHealthCounterDto' },
  })
  byCheckpointKind!: Record<string, TravellerHealthCounterDto>;
  @ApiProperty({ description: 'By province of origin (GB/T 2260).', additionalProperties: { $ref: '#/components/schemas/TravellerHealthCounterDto' } })
  byOrigin!: Record<string, TravellerHealthCounterDto>;
}

export class TravellerHealthFlagsDto extends TravellerHealthCounterDto {
  @ApiProperty({ description: 'By kind (missed-check-in, fever).', additionalProperties: { $ref: '#/components/schemas/TravellerHealthCounterDto' } })
  byKind!: Record<string, TravellerHealthCounterDto>;
}

export class TravellerHealthFiguresDto {
  @ApiProperty({ description: 'Registrations at checkpoints, counted at the destination.' }) registrations!: TravellerHealthRegistrationsDto;
  @ApiProperty({ description: "Key persons pushed to their residents' committee." }) keyPersonsPushed!: TravellerHealthCounterDto;
  @ApiProperty() observationsStarted!: TravellerHealthCounterDto;
  @ApiProperty({ description: 'People in home observation at the instant of the answer.' }) underObservation!: number;
  @ApiProperty() checkIns!: TravellerHealthCounterDto;
  @ApiProperty() checkInsMissed!: TravellerHealthCounterDto;
  @ApiProperty({ type: Number, nullable: true, description: 'Share of the check-ins due today that were made.' }) complianceToday!: number | null;
  @ApiProperty() flagsRaised!: TravellerHealthFlagsDto;
  @ApiProperty({ description: 'Flags open at the instant of the answer.' }) openFlags!: number;
  @ApiProperty({ description: 'Referrals to a fever clinic.' }) referrals!: TravellerHealthCounterDto;
  @ApiProperty({ description: 'Referral outcomes by outcome.', additionalProperties: { $ref: '#/components/schemas/TravellerHealthCounterDto' } })
  referralOutcomes!: Record<string, TravellerHealthCounterDto>;
  @ApiProperty({ description: 'Releases after 14 clean days.' }) releases!: TravellerHealthCounterDto;
}

export class TravellerHealthDayFiguresDto {
  @ApiProperty() registrations!: number;
  @ApiProperty() keyPersonsPushed!: number;
  @ApiProperty({ description: 'At the end of the day.' }) underObservation!: number;
  @ApiProperty() checkIns!: number;
  @ApiProperty() checkInsMissed!: number;
  @ApiProperty() flagsRaised!: number;
  @ApiProperty({ description: 'At the end of the day.' }) openFlags!: number;
  @ApiProperty() referrals!: number;
  @ApiProperty() releases!: number;
}
