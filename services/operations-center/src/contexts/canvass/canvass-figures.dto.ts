import { ApiProperty } from '@nestjs/swagger';
import { DOORSTEP_SERVICE_KINDS, PROBLEM_CATEGORIES, UNIT_KINDS } from '@city/contracts';

/** OpenAPI description of the canvass section (see canvass-figures.ts for the type). */
export class CounterDto {
  @ApiProperty({ description: 'On the city day of the answer (Asia/Shanghai), up to its instant.' }) today!: number;
  @ApiProperty({ description: 'All recorded up to the instant of the answer.' }) total!: number;
}

export class UnitCoverageDto {
  @ApiProperty({ description: 'Active (registered, not retired) units.' }) active!: number;
  @ApiProperty({ description: 'Distinct units visited today; a second visit the same day counts once.' }) canvassedToday!: number;
  @ApiProperty({ description: 'canvassedToday / active (0..1); null without active units.', nullable: true, type: Number })
  coverageToday!: number | null;
}

export class UnitsDto extends UnitCoverageDto {
  @ApiProperty({
    description: `Per unit kind: ${UNIT_KINDS.join(', ')}.`,
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/UnitCoverageDto' },
  })
  byKind!: Record<string, UnitCoverageDto>;
}

export class ProblemsDto extends CounterDto {
  @ApiProperty({
    description: `Per category: ${PROBLEM_CATEGORIES.join(', ')}.`,
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/CounterDto' },
  })
  byCategory!: Record<string, CounterDto>;
}

export class GateDutyDto {
  @ApiProperty() shifts!: CounterDto;
  @ApiProperty({ description: 'Hours of finished gate shifts, counted on the day a shift ended.' }) hours!: CounterDto;
  @ApiProperty() peopleChecked!: CounterDto;
  @ApiProperty() peopleRegistered!: CounterDto;
}

export class DoorstepServicesDto extends CounterDto {
  @ApiProperty({ description: 'Households served.' }) households!: CounterDto;
  @ApiProperty({
    description: `Runs per kind: ${DOORSTEP_SERVICE_KINDS.join(', ')}.`,
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/CounterDto' },
  })
  byKind!: Record<string, CounterDto>;
}

export class CanvassFiguresDto {
  @ApiProperty() units!: UnitsDto;
  @ApiProperty({ description: 'Households in active units (registered size).' }) householdsRegistered!: number;
  @ApiProperty({ description: 'Canvass visits (every visit counts).' }) visits!: CounterDto;
  @ApiProperty() householdsCanvassed!: CounterDto;
  @ApiProperty({ description: 'People returned from outside the city, found by visits.' }) returnedFromOutside!: CounterDto;
  @ApiProperty({ description: 'People in home observation now: per unit, what its latest visit found.' }) inHomeObservation!: number;
  @ApiProperty() tenantsOpened!: CounterDto;
  @ApiProperty() tenantsClosed!: CounterDto;
  @ApiProperty() problems!: ProblemsDto;
  @ApiProperty() gateDuty!: GateDutyDto;
  @ApiProperty() doorstepServices!: DoorstepServicesDto;
}

export class CanvassDayFiguresDto {
  @ApiProperty({ description: 'Active units at the end of the day.' }) activeUnits!: number;
  @ApiProperty() unitsCanvassed!: number;
  @ApiProperty({ nullable: true, type: Number }) coverage!: number | null;
  @ApiProperty() visits!: number;
  @ApiProperty() householdsCanvassed!: number;
  @ApiProperty() returnedFromOutside!: number;
  @ApiProperty({ description: 'At the end of the day.' }) inHomeObservation!: number;
  @ApiProperty() problems!: number;
  @ApiProperty() gateHours!: number;
  @ApiProperty() doorstepServices!: number;
}
