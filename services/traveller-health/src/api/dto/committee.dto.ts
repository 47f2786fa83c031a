import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Matches } from 'class-validator';
import { DistrictCodeField, NestedField, SubdistrictCodeField, TextField } from '@city/service-kit';

const COMMITTEE_CODE = /^31\d{10}$/;

export class CommitteeDto {
  @SubdistrictCodeField({ example: '310105002' }) subdistrictCode!: string;
  @TextField(100, { example: 'Jiangsu Road 江苏路街道' }) subdistrictName!: string;
  @ApiProperty({ example: '310105002003', description: "Residents' (or village) committee: the subdistrict code and 3 digits" })
  @IsString()
  @Matches(COMMITTEE_CODE, { message: "$property must be a 12-digit residents' committee code" })
  committeeCode!: string;
  @TextField(100, { example: 'No. 3 Residents’ Committee 江苏路第三居委会' }) name!: string;
}

export class CommitteesDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2000)
  @NestedField(() => CommitteeDto, { each: true, maxItems: 2000, description: "The district's committees (a list sent again records only what changed)" })
  committees!: CommitteeDto[];
}

export class CommitteesParams {
  @DistrictCodeField() code!: string;
}

export class SubdistrictParams {
  @SubdistrictCodeField() code!: string;
}

export class CommitteesReceiptView {
  @ApiProperty({ example: '310105' }) districtCode!: string;
  @ApiProperty({ example: 'traveller-health.committees-310105' }) streamId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ description: 'Committees new or renamed (0 when the list was registered as it is)' }) eventsAppended!: number;
}

export class SubdistrictEntryView {
  @ApiProperty({ example: '310105002' }) subdistrictCode!: string;
  @ApiProperty({ example: 'Jiangsu Road 江苏路街道' }) name!: string;
  @ApiProperty({ description: 'Registered committees' }) committees!: number;
}

export class CommitteeEntryView {
  @ApiProperty({ example: '310105002003' }) committeeCode!: string;
  @ApiProperty({ example: 'No. 3 Residents’ Committee 江苏路第三居委会' }) name!: string;
}
