import { ApiProperty } from '@nestjs/swagger';
import { DistrictCodeField, IdField, SubdistrictCodeField, TextField } from '@city/service-kit';

export class OpenCaseDto {
  @IdField({ optional: true, description: 'Client-chosen id; makes the opening safe to retry. Generated when absent.', example: 'case-0001' })
  caseId?: string;

  @DistrictCodeField()
  districtCode!: string;

  @SubdistrictCodeField({ description: 'A subdistrict of the district' })
  subdistrictCode!: string;

  @TextField(200, { example: 'First case of the traveller-health department' })
  subject!: string;
}

export class CaseParams {
  @IdField()
  caseId!: string;
}

export class CaseReceiptView {
  @ApiProperty() caseId!: string;
  @ApiProperty({ example: 'traveller-health.case-0001' }) streamId!: string;
  @ApiProperty({ description: 'Stream version after the command' }) version!: number;
  @ApiProperty({ description: 'Events this call appended (0 for an idempotent retry)' }) eventsAppended!: number;
}

export class CaseView {
  @ApiProperty() caseId!: string;
  @ApiProperty() districtCode!: string;
  @ApiProperty() subdistrictCode!: string;
  @ApiProperty() subject!: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status!: 'open' | 'closed';
  @ApiProperty() openedAt!: string;
  @ApiProperty({ type: String, nullable: true }) closedAt!: string | null;
  @ApiProperty() version!: number;
}
