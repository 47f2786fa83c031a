import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI description of the enterprise-reopening section (see enterprise-reopening-figures.ts for the type). */
export class EnterpriseReopeningFiguresDto {
  @ApiProperty({ description: 'Enterprises registered up to the instant of the answer.' }) registered!: number;
  @ApiProperty({ description: 'Enterprises reopened up to the instant of the answer.' }) reopened!: number;
  @ApiProperty({ description: 'Share of registered enterprises reopened, 0..1.' }) reopeningRate!: number;
}

export class EnterpriseReopeningDayFiguresDto {
  @ApiProperty({ description: 'Enterprises registered at the end of the day.' }) registered!: number;
  @ApiProperty({ description: 'Enterprises reopened at the end of the day.' }) reopened!: number;
  @ApiProperty({ description: 'Share reopened at the end of the day, 0..1.' }) reopeningRate!: number;
}
