import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

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

export class VisitBatchItemView {
  @ApiProperty() unitId!: string;
  @ApiProperty() visitId!: string;
  @ApiProperty({ description: 'What this visit alone would have been answered: 201 recorded, 200 already recorded (a resend), or its 4xx', example: 201 })
  status!: number;
  @ApiPropertyOptional({ type: VisitReceiptView, description: 'For 201 and 200' })
  receipt?: VisitReceiptView;
  @ApiPropertyOptional({ type: Object, description: 'For a refused visit: the error body it alone would have got (`error`, `message`, `rule`, ...)' })
  error?: Record<string, unknown>;
}

export class VisitBatchResultView {
  @ApiProperty({ description: 'Visits recorded now' }) recorded!: number;
  @ApiProperty({ description: 'Visits already recorded by an earlier send (nothing appended)' }) alreadyRecorded!: number;
  @ApiProperty({ description: 'Visits refused; the phone keeps them and shows why' }) refused!: number;
  @ApiProperty({ type: [VisitBatchItemView], description: 'One per visit sent, in the same order' }) results!: VisitBatchItemView[];
}
