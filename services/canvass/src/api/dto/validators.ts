import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** The field rules of the canvass API: the shared ones of the kit, and the limits of canvass' own fields. */
export { CountField, DateTimeField, DayField, DistrictCodeField, EnumField, IdField, NestedField, SubdistrictCodeField, TextField } from '@city/service-kit';

export const LIMITS = {
  name: 200,
  address: 300,
  gate: 100,
  reason: 500,
  note: 2000,
  problemDescription: 500,
  problems: 50,
  /** Largest size figure of one unit (a village group's households, a market's shops). */
  size: 1_000_000,
  /** Largest count one visit, delivery or shift may report. */
  count: 100_000,
} as const;

/** `expectedVersion`: the stream version the client last saw; a newer stream answers 409. */
export function ExpectedVersionField() {
  return applyDecorators(
    ApiPropertyOptional({
      type: Number,
      minimum: 0,
      description: 'Stream version the client last saw (from GET /units/{unitId}); 409 version_conflict if the unit changed since.',
    }),
    IsOptional(),
    IsInt(),
    Min(0),
    Max(Number.MAX_SAFE_INTEGER),
  );
}
