import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OPERATIONS_CONTEXTS } from '../contexts/registry';

/**
 * OpenAPI descriptions of the answers. Figures come in one section per
 * bounded context, one property per entry of the context registry.
 */
export class SectionsDto {}

export class DaySectionsDto {}

for (const context of OPERATIONS_CONTEXTS) {
  ApiProperty({ type: context.openApi.figures, description: context.openApi.description })(SectionsDto.prototype, context.key);
  ApiProperty({ type: context.openApi.dayFigures })(DaySectionsDto.prototype, context.key);
}

export class DistrictRefDto {
  @ApiProperty({ example: '310105' }) code!: string;
  @ApiProperty({ example: 'Changning' }) name!: string;
  @ApiProperty({ example: '长宁区' }) nameZh!: string;
}

class Stamped {
  @ApiProperty({ description: 'Instant the figures stand at (ISO-8601).' }) asOf!: string;
  @ApiProperty({ description: 'City day (Asia/Shanghai) that "today" refers to.', example: '2026-02-10' }) day!: string;
  @ApiProperty({ description: 'true: live figures; false: answered from history as of a past instant.' }) live!: boolean;
}

export class DistrictOverviewDto extends Stamped {
  @ApiProperty() district!: DistrictRefDto;
  @ApiProperty() figures!: SectionsDto;
}

export class CityOverviewDto extends Stamped {
  @ApiProperty({ description: 'The whole city.' }) city!: SectionsDto;
  @ApiProperty({ type: [DistrictOverviewDto], description: 'All 16 districts.' }) districts!: DistrictOverviewDto[];
}

export class SubdistrictRowDto {
  @ApiProperty({ example: '310105001' }) code!: string;
  @ApiProperty({ nullable: true, type: String, example: 'Jiangsu Road Subdistrict' }) name!: string | null;
  @ApiProperty() figures!: SectionsDto;
}

export class CitySubdistrictRowDto extends SubdistrictRowDto {
  @ApiProperty({ example: '310105', description: 'The district it belongs to.' }) district!: string;
}

export class CitySubdistrictsDto extends Stamped {
  @ApiProperty({ type: [CitySubdistrictRowDto], description: 'Every subdistrict and town of the city, in code order.' }) subdistricts!: CitySubdistrictRowDto[];
}

export class SubdistrictsDto extends Stamped {
  @ApiProperty() district!: DistrictRefDto;
  @ApiProperty({ type: [SubdistrictRowDto] }) subdistricts!: SubdistrictRowDto[];
}

export class SeriesPointDto {
  @ApiProperty({ example: '2026-02-10' }) day!: string;
  @ApiProperty() figures!: DaySectionsDto;
}

export class SubdistrictRefDto {
  @ApiProperty({ example: '310105001' }) code!: string;
  @ApiProperty({ nullable: true, type: String, example: 'Huayang Road Subdistrict' }) name!: string | null;
}

export class SeriesDto {
  @ApiProperty({ nullable: true, type: DistrictRefDto, description: 'null for the whole city.' }) district!: DistrictRefDto | null;
  @ApiProperty({ nullable: true, type: SubdistrictRefDto, description: 'The subdistrict asked for, else null.' }) subdistrict!: SubdistrictRefDto | null;
  @ApiProperty({ type: [SeriesPointDto], description: 'Oldest first, ending today.' }) days!: SeriesPointDto[];
}

export class SessionDto {
  @ApiProperty() sub!: string;
  @ApiProperty({ example: 'city-center' }) role!: string;
  @ApiPropertyOptional({ example: '310105' }) district?: string;
  @ApiPropertyOptional() name?: string;
  @ApiProperty({ type: [DistrictRefDto], description: 'Districts this token may read.' }) districts!: DistrictRefDto[];
  @ApiProperty({ description: 'May read the city overview.' }) cityWide!: boolean;
}
