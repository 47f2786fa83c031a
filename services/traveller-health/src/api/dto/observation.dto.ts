import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { CHECK_IN_SLOTS, REFERRAL_OUTCOMES } from '@city/contracts';
import { DayField, DistrictCodeField, EnumField, IdField, SubdistrictCodeField, TextField } from '@city/service-kit';

const TRAVELLER_ID = /^[0-9a-f]{32}$/;
const COMMITTEE_CODE = /^31\d{10}$/;

export class TravellerParams {
  @ApiProperty({ example: '9f3c2b7a1d4e5f60718293a4b5c6d7e8' })
  @IsString()
  @Matches(TRAVELLER_ID, { message: '$property must be 32 hex characters' })
  travellerId!: string;
}

export class FlagParams extends TravellerParams {
  @IdField() flagId!: string;
}

export class ReferralParams extends TravellerParams {
  @IdField() referralId!: string;
}

export class DistrictParams {
  @DistrictCodeField() code!: string;
}

export class CheckInDto {
  @EnumField(CHECK_IN_SLOTS) slot!: (typeof CHECK_IN_SLOTS)[number];
  @ApiProperty({ example: 36.5, description: '°C, 30 to 45' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(30, { message: '$property must be between 30 and 45 °C' })
  @Max(45, { message: '$property must be between 30 and 45 °C' })
  temperatureC!: number;
  @ApiProperty({ description: 'Any symptom (cough, shortness of breath, fatigue, ...)' }) @IsBoolean() symptomatic!: boolean;
}

export class ReferralDto {
  @IdField({ example: 'ref-0001' }) referralId!: string;
}

export class ReferralOutcomeDto {
  @EnumField(REFERRAL_OUTCOMES) outcome!: (typeof REFERRAL_OUTCOMES)[number];
}

export class TransferDto {
  @DistrictCodeField() districtCode!: string;
  @SubdistrictCodeField() subdistrictCode!: string;
  @ApiProperty({ example: '310107017001' })
  @IsString()
  @Matches(COMMITTEE_CODE, { message: "$property must be a 12-digit residents' committee code" })
  committeeCode!: string;
}

export class PersonalDataReadDto {
  @TextField(200, { example: 'phone the person about a missed check-in' }) reason!: string;
}

export class WorkListQuery {
  @DistrictCodeField({ optional: true }) districtCode?: string;
  @SubdistrictCodeField({ optional: true }) subdistrictCode?: string;
  @ApiPropertyOptional({ example: '310105002003' })
  @IsOptional()
  @IsString()
  @Matches(COMMITTEE_CODE, { message: "$property must be a 12-digit residents' committee code" })
  committeeCode?: string;
  @ApiPropertyOptional({ enum: ['pushed', 'observing', 'released'] }) @IsOptional() @IsIn(['pushed', 'observing', 'released']) status?:
    'pushed' | 'observing' | 'released';
  @ApiPropertyOptional({ default: 200, maximum: 1000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}

/** An area of the work list (a field official: within their subdistrict), without the status filter. */
export class AreaQuery {
  @DistrictCodeField({ optional: true }) districtCode?: string;
  @SubdistrictCodeField({ optional: true }) subdistrictCode?: string;
  @ApiPropertyOptional({ example: '310105002003' })
  @IsOptional()
  @IsString()
  @Matches(COMMITTEE_CODE, { message: "$property must be a 12-digit residents' committee code" })
  committeeCode?: string;
  @ApiPropertyOptional({ default: 500, maximum: 2000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(2000) limit?: number;
}

export class CheckInsQuery extends AreaQuery {
  @DayField({ optional: true, description: 'A city day (Asia/Shanghai); default today' }) day?: string;
}

export class CheckInOfDayView {
  @ApiProperty({ enum: ['made', 'missed', 'due', 'overdue', 'not-required'], description: 'not-required: the window closed before observation began' })
  status!: string;
  @ApiProperty({ description: 'When the window closes (morning 12:00, evening 22:00 city time)' }) deadline!: string;
  @ApiPropertyOptional() fever?: boolean;
  @ApiPropertyOptional() symptomatic?: boolean;
  @ApiPropertyOptional({ description: 'When it was made, or found missed' }) at?: string;
}

export class CheckInSlotsView {
  @ApiProperty({ type: CheckInOfDayView }) morning!: CheckInOfDayView;
  @ApiProperty({ type: CheckInOfDayView }) evening!: CheckInOfDayView;
}

export class ObservedPersonDayView {
  @ApiProperty() travellerId!: string;
  @ApiProperty() districtCode!: string;
  @ApiProperty() subdistrictCode!: string;
  @ApiProperty() committeeCode!: string;
  @ApiProperty() firstDay!: string;
  @ApiProperty() lastDay!: string;
  @ApiProperty({ description: '1 to 14' }) dayOfObservation!: number;
  @ApiProperty({ type: CheckInSlotsView }) checkIns!: CheckInSlotsView;
}

export class CheckInCountsView {
  @ApiProperty() made!: number;
  @ApiProperty() missed!: number;
  @ApiProperty() due!: number;
  @ApiProperty({ description: 'Window closed, not yet marked missed by the scheduler' }) overdue!: number;
}

export class CheckInsOfDayView {
  @ApiProperty({ example: '2020-02-12' }) day!: string;
  @ApiProperty({ type: [ObservedPersonDayView] }) people!: ObservedPersonDayView[];
  @ApiProperty({ type: CheckInCountsView }) counts!: CheckInCountsView;
}

export class OpenFlagView {
  @ApiProperty() travellerId!: string;
  @ApiProperty() districtCode!: string;
  @ApiProperty() subdistrictCode!: string;
  @ApiProperty() committeeCode!: string;
  @ApiProperty({ example: '2020-02-12-morning-missed' }) flagId!: string;
  @ApiProperty({ enum: ['missed-check-in', 'fever'] }) kind!: string;
  @ApiProperty() day!: string;
  @ApiProperty() raisedAt!: string;
}

export class TravellerReceiptView {
  @ApiProperty() travellerId!: string;
  @ApiProperty() streamId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ description: '0 for an idempotent retry' }) eventsAppended!: number;
}

export class PersonalDataView {
  @ApiProperty() travellerId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() phone!: string;
  @ApiProperty({ description: 'When this read was recorded in the audit trail' }) readAt!: string;
}
