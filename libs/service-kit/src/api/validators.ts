import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { DISTRICT_CODES } from '@city/contracts';

/**
 * The field rules every department API shares (codes of the city's districts
 * and subdistricts, ids, text, counts, times, days), as composable decorators,
 * so every DTO says the same thing about the same kind of field (and OpenAPI
 * shows it). Limits of a department's own fields stay in the department.
 */

export const DISTRICT_CODE_PATTERN = /^31\d{4}$/;
export const SUBDISTRICT_CODE_PATTERN = /^31\d{7}$/;
/** Client-generated ids (UUIDs and the like) and official ids: short, plain, log- and header-safe. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
/** An ISO-8601 date-time with seconds and an explicit offset (RFC 3339), as the event contracts require. */
export const DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
/** Single-line text: no control characters at all. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const SINGLE_LINE = /^[^\u0000-\u001f\u007f]*$/;
/** Multi-line text: tabs and line breaks allowed, other control characters not. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const MULTI_LINE = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;
const NOT_BLANK = /\S/;

export interface FieldDoc {
  readonly description?: string;
  readonly example?: unknown;
  readonly optional?: boolean;
}

function doc(options: FieldDoc & Record<string, unknown>) {
  const { optional, ...rest } = options;
  return optional ? ApiPropertyOptional(rest) : ApiProperty(rest);
}

function presence(optional: boolean | undefined) {
  return optional ? IsOptional() : IsDefined();
}

export function DistrictCodeField(options: FieldDoc = {}) {
  return applyDecorators(
    doc({ ...options, type: String, pattern: DISTRICT_CODE_PATTERN.source, example: options.example ?? '310105', enum: [...DISTRICT_CODES] }),
    presence(options.optional),
    IsString(),
    Matches(DISTRICT_CODE_PATTERN, { message: '$property must be a 6-digit district code starting with 31' }),
    IsIn([...DISTRICT_CODES], { message: "$property must be one of the city's 16 district codes" }),
  );
}

export function SubdistrictCodeField(options: FieldDoc = {}) {
  return applyDecorators(
    doc({ ...options, type: String, pattern: SUBDISTRICT_CODE_PATTERN.source, example: options.example ?? '310105001' }),
    presence(options.optional),
    IsString(),
    Matches(SUBDISTRICT_CODE_PATTERN, { message: '$property must be a 9-digit subdistrict code (district code + 3 digits)' }),
  );
}

export function IdField(options: FieldDoc = {}) {
  return applyDecorators(
    doc({ ...options, type: String, pattern: ID_PATTERN.source, maxLength: 100 }),
    presence(options.optional),
    IsString(),
    Matches(ID_PATTERN, { message: '$property must be 1-100 letters, digits, or . _ : - (starting with a letter or digit)' }),
  );
}

export function TextField(maxLength: number, options: FieldDoc & { multiline?: boolean } = {}) {
  const { multiline, ...rest } = options;
  return applyDecorators(
    doc({ ...rest, type: String, minLength: 1, maxLength }),
    presence(options.optional),
    IsString(),
    MaxLength(maxLength),
    Matches(NOT_BLANK, { message: '$property must not be blank' }),
    Matches(multiline ? MULTI_LINE : SINGLE_LINE, { message: '$property must not contain control characters' }),
  );
}

export function CountField(max: number, options: FieldDoc = {}) {
  return applyDecorators(
    doc({ ...options, type: Number, minimum: 0, maximum: max, example: options.example ?? 0 }),
    presence(options.optional),
    IsInt(),
    Min(0),
    Max(max),
  );
}

export function DateTimeField(options: FieldDoc = {}) {
  return applyDecorators(
    doc({ ...options, type: String, format: 'date-time', example: options.example ?? '2020-02-12T10:15:00+08:00' }),
    presence(options.optional),
    IsString(),
    Matches(DATE_TIME_PATTERN, { message: '$property must be an ISO-8601 date-time with seconds and an offset, e.g. 2020-02-12T10:15:00+08:00' }),
    IsISO8601({ strict: true }, { message: '$property must be a real calendar date-time' }),
  );
}

export function DayField(options: FieldDoc = {}) {
  return applyDecorators(
    doc({ ...options, type: String, format: 'date', example: options.example ?? '2020-02-12' }),
    presence(options.optional),
    IsString(),
    Matches(DAY_PATTERN, { message: '$property must be a date YYYY-MM-DD' }),
    IsISO8601({ strict: true }, { message: '$property must be a real calendar date' }),
  );
}

export function EnumField(values: readonly string[], options: FieldDoc = {}) {
  return applyDecorators(
    doc({ ...options, enum: [...values], example: options.example ?? values[0] }),
    presence(options.optional),
    IsIn([...values], { message: `$property must be one of ${values.join(', ')}` }),
  );
}

export function NestedField(type: () => new () => object, options: FieldDoc & { each?: boolean; maxItems?: number } = {}) {
  const { each, maxItems, ...rest } = options;
  return applyDecorators(
    doc({ ...rest, type: type(), isArray: each === true, ...(maxItems === undefined ? {} : { maxItems }) }),
    presence(options.optional),
    // ValidateNested takes an array where an object belongs (and walks it): `[]` or `[[]]` would pass as empty objects.
    IsObject({ each: each === true, message: each === true ? 'each value in $property must be an object' : '$property must be an object' }),
    ValidateNested({ each: each === true }),
    Type(type),
  );
}
