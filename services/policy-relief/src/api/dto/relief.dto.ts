import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { LANDLORD_KINDS } from '@city/contracts';
import { DayField, EnumField, IdField, NestedField, TextField } from '@city/service-kit';

const MEASURE_ID = /^M[0-9]{2,3}$/;
const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
const APPLICATION_ID = /^M[0-9]{2,3}-[0-9A-HJ-NPQRTUWXY]{18}$/;
const APPLICATION_STATUSES = ['submitted', 'ineligible', 'withdrawn', 'approved', 'rejected'] as const;
const RULE_FIELDS = ['size', 'industry', 'landlordKind', 'reopeningStatus', 'district'] as const;

/** Money: a whole number of fen (1 yuan = 100 fen); a fraction of a fen is a 400. */
function FenField(options: { description: string; example: number; optional?: boolean }) {
  const { optional, ...doc } = options;
  return applyDecorators(
    optional ? ApiPropertyOptional({ ...doc, type: 'integer', minimum: 0 }) : ApiProperty({ ...doc, type: 'integer', minimum: 0 }),
    optional ? IsOptional() : IsDefined(),
    IsInt({ message: '$property must be a whole number of fen (1 yuan = 100 fen), without fractions' }),
    Min(0),
    Max(Number.MAX_SAFE_INTEGER),
  );
}

function MeasureIdField() {
  return applyDecorators(
    ApiProperty({ example: 'M01', pattern: MEASURE_ID.source }),
    IsDefined(),
    IsString(),
    Matches(MEASURE_ID, { message: '$property must be a measure id such as M01' }),
  );
}

function CreditCodeField(optional = false) {
  return applyDecorators(
    optional
      ? ApiPropertyOptional({ example: '91310105MA1FL0XQ2B', description: 'Unified social credit code (18 characters)' })
      : ApiProperty({ example: '91310105MA1FL0XQ2B', description: 'Unified social credit code (18 characters)' }),
    optional ? IsOptional() : IsDefined(),
    IsString(),
    Matches(CREDIT_CODE, { message: '$property must be an 18-character unified social credit code' }),
  );
}

export class SubmitApplicationDto {
  @MeasureIdField()
  measureId!: string;

  @CreditCodeField()
  enterpriseId!: string;

  @EnumField(LANDLORD_KINDS, { description: 'Who the enterprise rents its premises from' })
  landlordKind!: (typeof LANDLORD_KINDS)[number];

  @FenField({ description: 'Amount requested, in fen', example: 9_600_000 })
  requestedFen!: number;

  @FenField({ description: 'Monthly rent in fen; required for rent waivers', example: 4_800_000, optional: true })
  monthlyRentFen?: number;
}

export class WithdrawDto {
  @TextField(500, { optional: true, example: 'The landlord waived the rent directly' })
  reason?: string;
}

export class ApproveDto {
  @FenField({ description: 'Amount granted in fen; left out: what was requested. Less than requested approves in part.', example: 7_200_000, optional: true })
  grantedFen?: number;

  @TextField(500, { optional: true, example: 'One and a half months: the shop reopened on 20 February' })
  note?: string;
}

export class RejectDto {
  @TextField(500, { example: 'The lease names another tenant' })
  reason!: string;
}

export class DisbursementDto {
  @FenField({ description: 'Amount paid, in fen', example: 7_200_000 })
  amountFen!: number;

  @DayField({ description: 'City day the money was paid' })
  disbursedOn!: string;

  @IdField({ description: 'Payment or voucher reference; one disbursement per reference', example: 'RENT-WAIVER-2020-000731' })
  reference!: string;
}

export class RuleDto {
  @ApiProperty({ example: 'L1' })
  @IsDefined()
  @IsString()
  @Matches(/^[A-Z][0-9]{1,2}$/, { message: '$property must be a rule id such as L1' })
  id!: string;

  @EnumField(RULE_FIELDS)
  field!: (typeof RULE_FIELDS)[number];

  @ApiProperty({ type: [String], example: ['state-owned', 'collective'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  oneOf!: string[];
}

export class RuleReplayDto {
  @ApiProperty({ example: 3, description: 'Version of the new rule set' })
  @IsDefined()
  @IsInt()
  @Min(1)
  @Max(1000)
  version!: number;

  @NestedField(() => RuleDto, { each: true, maxItems: 30 })
  @IsArray()
  @ArrayMaxSize(30)
  rules!: RuleDto[];
}

export class ApplicationParams {
  @ApiProperty({ example: 'M01-91310105MA1FL0XQ2B' })
  @IsString()
  @Matches(APPLICATION_ID, { message: '$property must be <measureId>-<unified social credit code>' })
  applicationId!: string;
}

export class MeasureParams {
  @MeasureIdField()
  measureId!: string;
}

export class ApplicationListQuery {
  @ApiPropertyOptional({ example: 'M01' })
  @IsOptional()
  @IsString()
  @Matches(MEASURE_ID, { message: '$property must be a measure id such as M01' })
  measureId?: string;

  @ApiPropertyOptional({ enum: APPLICATION_STATUSES })
  @IsOptional()
  @IsIn([...APPLICATION_STATUSES], { message: `$property must be one of ${APPLICATION_STATUSES.join(', ')}` })
  status?: (typeof APPLICATION_STATUSES)[number];

  @CreditCodeField(true)
  enterpriseId?: string;
}

export class ApplicationReceiptView {
  @ApiProperty({ example: 'M01-91310105MA1FL0XQ2B' }) applicationId!: string;
  @ApiProperty({ example: 'policy-relief.application-M01-91310105MA1FL0XQ2B' }) streamId!: string;
  @ApiProperty({ description: 'Stream version after the command' }) version!: number;
  @ApiProperty({ description: 'Events this call appended (0 for an idempotent retry)' }) eventsAppended!: number;
}
