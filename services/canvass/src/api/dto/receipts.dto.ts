import { ApiProperty } from '@nestjs/swagger';

export class CommandReceiptView {
  @ApiProperty({ example: 'canvass.unit-cn-hy-office-0007' }) streamId!: string;
  @ApiProperty({ description: 'Stream version after the command; for a retried record, the version it was first recorded at' }) version!: number;
  @ApiProperty({ description: 'Events this call appended (0 for an idempotent retry or a command that changed nothing)' }) eventsAppended!: number;
}

export class SubdistrictReceiptView extends CommandReceiptView {
  @ApiProperty() districtCode!: string;
  @ApiProperty() subdistrictCode!: string;
}

export class UnitReceiptView extends CommandReceiptView {
  @ApiProperty() unitId!: string;
}

export class VisitReceiptView extends UnitReceiptView {
  @ApiProperty() visitId!: string;
}

export class DoorstepServiceReceiptView extends UnitReceiptView {
  @ApiProperty() serviceId!: string;
}

export class GateShiftReceiptView extends CommandReceiptView {
  @ApiProperty() shiftId!: string;
}
