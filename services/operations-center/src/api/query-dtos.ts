import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

export class AsOfQuery {
  @ApiPropertyOptional({
    description: 'Answer as the figures stood at this past instant (ISO-8601 with offset). Omit for live figures.',
    example: '2026-02-10T09:00:00+08:00',
  })
  @IsOptional()
  @IsString()
  asOf?: string;
}

export const MAX_SERIES_DAYS = 90;

export class SeriesQuery {
  @ApiPropertyOptional({ description: 'District code; omit for the whole city (city-wide tokens only).', example: '310105' })
  @IsOptional()
  @IsString()
  district?: string;

  @ApiPropertyOptional({ description: 'Subdistrict or town code (9 digits, within `district`); omit for the whole district.', example: '310105001' })
  @IsOptional()
  @IsString()
  subdistrict?: string;

  @ApiPropertyOptional({ description: `Number of days ending today (Asia/Shanghai), 1..${MAX_SERIES_DAYS}.`, default: 14 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_SERIES_DAYS)
  days?: number;
}
