import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsNumber, IsObject, IsString, Matches, MaxLength } from 'class-validator';
import { CHECKPOINT_KINDS, TRIP_MODES } from '@city/contracts';
import { DayField, DistrictCodeField, EnumField, IdField, NestedField, SubdistrictCodeField, TextField } from '@city/service-kit';
import { DOCUMENT_KINDS, type DocumentKind } from '../../domain/identity';
import { SYMPTOMS, type Symptom } from '../../domain/risk-rules';

const COMMITTEE_CODE = /^31\d{10}$/;
const PROVINCE_CODE = /^[1-9]\d0000$/;
const CITY_CODE = /^[1-9]\d{3}00$/;

export class IdentityDto {
  @TextField(100, { example: '张三' }) name!: string;
  @EnumField(DOCUMENT_KINDS, { description: 'resident-id: the mainland resident identity card (checked with its ISO 7064 MOD 11-2 check character)' })
  documentKind!: DocumentKind;
  @ApiProperty({ example: '11010519491231002X', maxLength: 30 })
  @IsString()
  @MaxLength(30)
  documentNumber!: string;
}

export class OriginDto {
  @ApiProperty({ example: '420000', description: 'Province (GB/T 2260)' })
  @IsString()
  @Matches(PROVINCE_CODE, { message: '$property must be a GB/T 2260 province code, e.g. 420000' })
  provinceCode!: string;
  @ApiProperty({ example: '420100', description: 'City (GB/T 2260)' })
  @IsString()
  @Matches(CITY_CODE, { message: '$property must be a GB/T 2260 city code, e.g. 420100' })
  cityCode!: string;
}

export class TripDto {
  @EnumField(TRIP_MODES) mode!: (typeof TRIP_MODES)[number];
  @TextField(20, { optional: true, example: 'G1234' }) number?: string;
  @DayField({ description: 'Day of travel' }) date!: string;
}

export class DestinationDto {
  @DistrictCodeField() districtCode!: string;
  @SubdistrictCodeField() subdistrictCode!: string;
  @ApiProperty({ example: '310105002003', description: "Residents' committee: the subdistrict code and 3 digits" })
  @IsString()
  @Matches(COMMITTEE_CODE, { message: "$property must be a 12-digit residents' committee code" })
  committeeCode!: string;
  @TextField(200, { example: 'No. 1, Lane 100, Jiangsu Road, Room 201' }) address!: string;
}

export class DeclarationDto {
  @ApiProperty({ example: 36.6, description: '°C, 30 to 45' }) @IsNumber({ allowNaN: false, allowInfinity: false }) temperatureC!: number;
  @ApiProperty({ enum: SYMPTOMS, isArray: true }) @IsArray() @ArrayMaxSize(SYMPTOMS.length) @IsIn([...SYMPTOMS], { each: true }) symptoms!: Symptom[];
  @ApiProperty({ description: 'Contact with a confirmed or suspected case' }) @IsBoolean() contactWithCases!: boolean;
  @ApiProperty({ example: ['420100'], description: 'Area codes (province or city, GB/T 2260) of stays in the last 14 days' })
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(CITY_CODE, { each: true, message: '$property must hold GB/T 2260 area codes ending in 00' })
  keyAreaStays!: string[];
}

export class RegistrationDto {
  @IdField({ description: 'Made by the phone or kiosk: sending it again records nothing new', example: '1b7e0c9a-4f0d-4a39-8c3e-5d2f6a7b8c90' })
  registrationId!: string;
  @IdField({ example: 'hongqiao-railway' }) checkpointId!: string;
  @IsObject({ message: '$property must be an object' }) @NestedField(() => IdentityDto) identity!: IdentityDto;
  @ApiProperty({ example: '13800138000' }) @IsString() @MaxLength(20) phone!: string;
  @IsObject({ message: '$property must be an object' }) @NestedField(() => OriginDto) origin!: OriginDto;
  @IsObject({ message: '$property must be an object' }) @NestedField(() => TripDto) trip!: TripDto;
  @IsObject({ message: '$property must be an object' }) @NestedField(() => DestinationDto) destination!: DestinationDto;
  @IsObject({ message: '$property must be an object' }) @NestedField(() => DeclarationDto) declaration!: DeclarationDto;
}

export class RegistrationBatchDto {
  @ApiProperty({ type: [RegistrationDto], maxItems: 100, description: 'Up to 100 registrations, each checked and answered on its own' })
  @IsArray()
  @ArrayMaxSize(100)
  registrations!: object[];
}

export class FiredRuleView {
  @ApiProperty({ example: 'R2' }) ruleId!: string;
  @ApiProperty({ example: 'stayed in a key area within 14 days' }) reason!: string;
}

export class RegistrationReceiptView {
  @ApiProperty() registrationId!: string;
  @ApiProperty({ description: 'Pseudonymous: a keyed hash of the document' }) travellerId!: string;
  @ApiProperty() streamId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ description: '0 when the registration was already recorded' }) eventsAppended!: number;
  @ApiProperty({ enum: ['key', 'general'] }) riskClass!: 'key' | 'general';
  @ApiProperty({ example: '2020-02-10' }) ruleSetVersion!: string;
  @ApiProperty({ type: [FiredRuleView] }) firedRules!: FiredRuleView[];
}

export class BatchItemView {
  @ApiProperty({ description: 'As the single endpoint would answer: 201, 200, 400, 403, 409' }) status!: number;
  @ApiPropertyOptional() registrationId?: string;
  @ApiPropertyOptional({ type: RegistrationReceiptView }) receipt?: RegistrationReceiptView;
  @ApiPropertyOptional({ description: 'The error body the single endpoint would give' }) error?: Record<string, unknown>;
}

export class RegistrationBatchResultView {
  @ApiProperty() recorded!: number;
  @ApiProperty() alreadyRecorded!: number;
  @ApiProperty() refused!: number;
  @ApiProperty({ type: [BatchItemView] }) results!: BatchItemView[];
}

export class CheckpointDto {
  @IdField({ example: 'hongqiao-railway' }) checkpointId!: string;
  @TextField(100, { example: 'Hongqiao Railway Station 虹桥火车站' }) name!: string;
  @EnumField(CHECKPOINT_KINDS) kind!: (typeof CHECKPOINT_KINDS)[number];
  @DistrictCodeField() districtCode!: string;
}
