import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { UNIT_KINDS, type UnitKind } from '@city/contracts';
import { acceptWhenValid } from '@city/observability';
import {
  CountField,
  DayField,
  DistrictCodeField,
  EnumField,
  ExpectedVersionField,
  IdField,
  LIMITS,
  NestedField,
  SubdistrictCodeField,
  TextField,
} from './validators';

export class UnitSizeDto {
  @CountField(LIMITS.size, { description: 'Tenants (enterprises in an office building)', example: 40 })
  tenants!: number;

  @CountField(LIMITS.size, { description: 'Street shops', example: 0 })
  shops!: number;

  @CountField(LIMITS.size, { description: 'Households', example: 0 })
  households!: number;
}

export class RegisterUnitDto {
  @IdField({ optional: true, description: 'Client-chosen id; makes the registration safe to retry. Generated when absent.', example: 'cn-hy-office-0007' })
  unitId?: string;

  @EnumField(UNIT_KINDS, { description: 'Which of the five responsibilities' })
  kind!: UnitKind;

  @TextField(LIMITS.name, { example: 'Building A, Changning Tower' })
  name!: string;

  @TextField(LIMITS.address, { description: 'Address of the building or block (a place, not a person)', example: '1018 Changning Road' })
  address!: string;

  @DistrictCodeField()
  districtCode!: string;

  @SubdistrictCodeField({ description: 'Must be registered in the district (POST /subdistricts)' })
  subdistrictCode!: string;

  @TextField(LIMITS.name, { optional: true, example: 'Yuyuan Residents Committee' })
  residentsCommittee?: string;

  @NestedField(() => UnitSizeDto)
  size!: UnitSizeDto;
}

export class UpdateUnitSizeDto {
  @NestedField(() => UnitSizeDto)
  size!: UnitSizeDto;

  @ExpectedVersionField()
  expectedVersion?: number;
}

export class RetireUnitDto {
  @TextField(LIMITS.reason, { optional: true, example: 'Building closed for renovation' })
  reason?: string;

  @ExpectedVersionField()
  expectedVersion?: number;
}

export class AssignOfficialDto {
  @IdField({ description: 'Token subject (`sub`) of the official who answers for the unit from now on', example: 'dev-field-official' })
  officialId!: string;

  @ExpectedVersionField()
  expectedVersion?: number;
}

export class UnitParams {
  @IdField({ example: 'cn-hy-office-0007' })
  unitId!: string;
}
// `{unitId}` of every unit route, a visit's among them (the busiest): a valid id skips class-transformer and class-validator.
acceptWhenValid(UnitParams);

export class OfficialOnDayQuery {
  @DayField({ description: 'A day in the city (Asia/Shanghai)' })
  on!: string;
}

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value);
const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** An optional `limit` query parameter, 1..1000 (query strings arrive as text). */
function QueryLimitField(description: string) {
  return applyDecorators(ApiPropertyOptional({ minimum: 1, maximum: 1000, description }), IsOptional(), Transform(toInt), IsInt(), Min(1), Max(1000));
}

export class HistoryQuery {
  @ApiPropertyOptional({ minimum: 0, description: 'First stream version to return (default 0)' })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  fromVersion?: number;

  @QueryLimitField('Most events to return (default 200)')
  limit?: number;
}

export class FindUnitsQuery {
  @DistrictCodeField({ optional: true, description: 'Defaults to the district of the token' })
  districtCode?: string;

  @SubdistrictCodeField({ optional: true })
  subdistrictCode?: string;

  @EnumField(UNIT_KINDS, { optional: true })
  kind?: UnitKind;

  @IdField({ optional: true, description: 'Only units this official answers for' })
  officialId?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'Include retired units (default false)' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  includeRetired?: boolean;

  @QueryLimitField('Most units to return (default 500)')
  limit?: number;
}

export class UnitSizeView {
  @ApiProperty() tenants!: number;
  @ApiProperty() shops!: number;
  @ApiProperty() households!: number;
}

export class UnitView {
  @ApiProperty() unitId!: string;
  @ApiProperty({ enum: UNIT_KINDS }) kind!: UnitKind;
  @ApiProperty() name!: string;
  @ApiProperty() address!: string;
  @ApiProperty() districtCode!: string;
  @ApiProperty() subdistrictCode!: string;
  @ApiPropertyOptional() residentsCommittee?: string;
  @ApiProperty({ type: UnitSizeView }) size!: UnitSizeView;
  @ApiProperty({ enum: ['active', 'retired'] }) status!: 'active' | 'retired';
  @ApiProperty({ type: String, nullable: true }) officialId!: string | null;
  @ApiProperty({ description: 'Stream version; send it as expectedVersion to edit what you saw' }) version!: number;
}

export class UnitDetailsView extends UnitView {
  @ApiProperty({ description: 'Visits recorded so far' }) visits!: number;
  @ApiProperty({ description: 'Doorstep services recorded so far' }) doorstepServices!: number;
}

export class UnitListItemView extends UnitView {
  @ApiProperty({ type: String, nullable: true, description: 'Latest visit time reported' }) lastVisitedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'City day of the latest visit' }) lastVisitDay!: string | null;
}

export class MyUnitView extends UnitListItemView {
  @ApiProperty({ description: 'Visited (by anyone) today in the city' }) visitedToday!: boolean;
  @ApiProperty({ description: 'Not yet visited today: work for today' }) dueToday!: boolean;
}

export class MyUnitsView {
  @ApiProperty() officialId!: string;
  @ApiProperty({ example: '2020-02-12', description: 'Today in Asia/Shanghai' }) day!: string;
  @ApiProperty() total!: number;
  @ApiProperty() due!: number;
  @ApiProperty({ type: [MyUnitView] }) units!: readonly MyUnitView[];
}

export class HistoryEntryView {
  @ApiProperty() version!: number;
  @ApiProperty({ example: 'CanvassVisitRecorded' }) type!: string;
  @ApiProperty({ type: Object }) data!: object;
  @ApiProperty() recordedAt!: string;
  @ApiPropertyOptional() actorId?: string;
  @ApiPropertyOptional() actorRole?: string;
}

export class UnitHistoryView {
  @ApiProperty() unitId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ type: [HistoryEntryView] }) events!: readonly HistoryEntryView[];
}

export class ResponsibilitySpanView {
  @ApiProperty() officialId!: string;
  @ApiProperty() from!: string;
  @ApiProperty({ type: String, nullable: true }) until!: string | null;
}

export class OfficialOnDayView {
  @ApiProperty() unitId!: string;
  @ApiProperty() on!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Who answered for the unit at the end of the day' }) officialId!: string | null;
  @ApiProperty({ type: [ResponsibilitySpanView], description: 'Everyone who answered for it during the day' }) officials!: readonly ResponsibilitySpanView[];
}
