import { ApiProperty } from '@nestjs/swagger';
import { DistrictCodeField, LIMITS, SubdistrictCodeField, TextField } from './validators';

export class RegisterSubdistrictDto {
  @DistrictCodeField({ description: 'District that registers the subdistrict' })
  districtCode!: string;

  @SubdistrictCodeField({ description: 'The district code followed by the 3-digit township code' })
  subdistrictCode!: string;

  @TextField(LIMITS.name, { example: 'Huayang Road Subdistrict' })
  name!: string;
}

export class DistrictParams {
  @DistrictCodeField()
  districtCode!: string;
}

export class SubdistrictView {
  @ApiProperty({ example: '310105001' }) subdistrictCode!: string;
  @ApiProperty({ example: 'Huayang Road Subdistrict' }) name!: string;
}
