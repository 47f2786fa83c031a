import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import { creditCodeProblem, LANDLORD_KINDS } from '@city/contracts';
import { DayField, EnumField, IdField, NestedField, TextField } from '@city/service-kit';

const MEASURE_ID = /^M[0-9]{2,3}$/;
const APPLICATION_ID = /^(M[0-9]{2,3})-(.{18})$/;
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

const CREDIT_CODE_EXAMPLE = '91310105MA1FL0XQ2P';

/** Why `code` is not a unified social credit code (form, then check character, as enterprise-reopening registers them), or null. */
function creditCodeMessage(code: string, property: string): string | null {
  switch (creditCodeProblem(code)) {
    case null:
      return null;
    case 'format':
      return `${property} must be an 18-character unified social credit code`;
    case 'check-character':
      return `${property} has a wrong check character (the 18th): not a unified social credit code`;
  }
}

/** A unified social credit code, check character included; `ofApplicationId`: the code within `<measureId>-<code>`. */
function IsCreditCode(ofApplicationId = false) {
  const codeOf = (value: unknown): string | null => {
    if (typeof value !== 'string') return null;
    if (!ofApplicationId) return value;
    return APPLICATION_ID.exec(value)?.[2] ?? null;
  };
  return ValidateBy({
    name: 'isCreditCode',
    validator: {
      validate: (value: unknown) => {
        const code = codeOf(value);
        return code !== null && creditCodeProblem(code) === null;
      },
      defaultMessage: (args) => {
        const code = codeOf(args?.value);
        const property = args?.property ?? 'value';
        if (code === null) return ofApplicationId ? `${property} must be <measureId>-<unified social credit code>` : `${property} must be a string`;
        return creditCodeMessage(code, property) ?? `${property} is not valid`;
      },
    },
  });
}

function CreditCodeField(optional = false) {
  return applyDecorators(
    optional
      ? ApiPropertyOptional({ example: CREDIT_CODE_EXAMPLE, description: 'Unified social credit code (18 characters, the last a check character)' })
      : ApiProperty({ example: CREDIT_CODE_EXAMPLE, description: 'Unified social credit code (18 characters, the last a check character)' }),
    optional ? IsOptional() : IsDefined(),
    IsString(),
    IsCreditCode(),
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
  @ApiProperty({ example: `M01-${CREDIT_CODE_EXAMPLE}` })
  @IsString()
  @IsCreditCode(true)
  applicationId!: string;
}

export class EnterpriseParams {
  @CreditCodeField()
  enterpriseId!: string;
}

export class EnterpriseMeasuresQuery {
  @EnumField(LANDLORD_KINDS, {
    optional: true,
    description: 'Who the enterprise rents from; left out, a landlord rule is answered "stated on the application"',
  })
  landlordKind?: (typeof LANDLORD_KINDS)[number];
}

export class MeasureParams {
  @MeasureIdField()
  measureId!: string;
}

export class ApprovalQueueQuery {
  @ApiPropertyOptional({
    default: 100,
    minimum: 1,
    maximum: 500,
    description: 'How many of the oldest waiting applications to list per measure (the counts cover all)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
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
  @ApiProperty({ example: 'M01-91310105MA1FL0XQ2P' }) applicationId!: string;
  @ApiProperty({ example: 'policy-relief.application-M01-91310105MA1FL0XQ2P' }) streamId!: string;
  @ApiProperty({ description: 'Stream version after the command' }) version!: number;
  @ApiProperty({ description: 'Events this call appended (0 for an idempotent retry)' }) eventsAppended!: number;
}
