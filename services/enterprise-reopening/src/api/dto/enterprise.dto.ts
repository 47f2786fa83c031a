import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsString, Matches } from 'class-validator';
import { ENTERPRISE_SIZES, INDUSTRY_CODES, REOPENING_STATUSES, type EnterpriseSize } from '@city/contracts';
import { acceptWhenValid } from '@city/observability';
import { CountField, DistrictCodeField, EnumField, IdField, SubdistrictCodeField, TextField } from '@city/service-kit';

const CREDIT_CODE_SHAPE = /^[0-9A-Z]{18}$/;

/** A unified social credit code as a field: its shape here; its alphabet and check character are the domain's rule (409 invalid-credit-code). */
export function CreditCodeField() {
  return applyDecorators(
    ApiProperty({ description: 'Unified social credit code (GB 32100-2015), 18 characters', example: '91310105MA1FL3KX0K', pattern: CREDIT_CODE_SHAPE.source }),
    IsDefined(),
    IsString(),
    Matches(CREDIT_CODE_SHAPE, { message: '$property must be 18 digits or capital letters (unified social credit code)' }),
  );
}

export class RegisterEnterpriseDto {
  @CreditCodeField()
  creditCode!: string;

  @TextField(200, { example: 'Shanghai Yuyuan Software Co., Ltd.' })
  name!: string;

  @EnumField(INDUSTRY_CODES, { description: 'Industry of the guideline catalog (GET /industries)' })
  industryCode!: string;

  @EnumField(ENTERPRISE_SIZES)
  size!: EnterpriseSize;

  @DistrictCodeField()
  districtCode!: string;

  @SubdistrictCodeField({ description: 'A subdistrict of the district' })
  subdistrictCode!: string;

  @CountField(1_000_000, { description: 'Staff in normal times', example: 86 })
  usualHeadcount!: number;

  @IdField({ optional: true, description: 'The canvass office-building unit the enterprise sits in, where known' })
  officeBuildingUnitId?: string;
}

export class EnterpriseParams {
  @CreditCodeField()
  creditCode!: string;
}
// Every enterprise command carries one: a valid code skips class-transformer and class-validator (see acceptWhenValid).
acceptWhenValid(EnterpriseParams);

export class EnterpriseReceiptView {
  @ApiProperty() creditCode!: string;
  @ApiProperty({ example: 'enterprise-reopening.enterprise-91310105MA1FL3KX0K' }) streamId!: string;
  @ApiProperty({ description: 'Stream version after the command' }) version!: number;
  @ApiProperty({ description: 'Events this call appended (0 for an idempotent retry)' }) eventsAppended!: number;
}

export class EnterpriseView {
  @ApiProperty() creditCode!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ENTERPRISE_SIZES }) size!: EnterpriseSize;
  @ApiProperty() industryCode!: string;
  @ApiProperty() districtCode!: string;
  @ApiProperty() subdistrictCode!: string;
  @ApiProperty() usualHeadcount!: number;
  @ApiProperty({ enum: REOPENING_STATUSES }) reopeningStatus!: string;
  @ApiProperty({ type: String, nullable: true }) officeBuildingUnitId!: string | null;
  @ApiProperty() registeredAt!: string;
  @ApiProperty() version!: number;
}
