import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { APPEAL_CATEGORIES, REOPENING_STATUSES } from '@city/contracts';
import { DistrictCodeField, SubdistrictCodeField } from '@city/service-kit';

export class InspectionQueueQuery {
  @DistrictCodeField({ optional: true, description: "Default: the token's district (the whole city for the commission)" })
  districtCode?: string;

  @SubdistrictCodeField({ optional: true, description: 'Only this subdistrict of the district' })
  subdistrictCode?: string;

  @ApiPropertyOptional({ default: 200, maximum: 1000, description: 'At most this many of each list' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class QueueEntryView {
  @ApiProperty() creditCode!: string;
  @ApiProperty() name!: string;
  @ApiProperty() industryCode!: string;
  @ApiProperty() districtCode!: string;
  @ApiProperty() subdistrictCode!: string;
  @ApiProperty() usualHeadcount!: number;
  @ApiProperty({ enum: REOPENING_STATUSES }) reopeningStatus!: string;
  @ApiProperty() declarationId!: string;
  @ApiProperty() plannedReopeningDate!: string;
  @ApiProperty() guidelineVersion!: number;
  @ApiProperty({ type: [String], description: 'Measures the declaration confirmed in place' }) confirmedMeasures!: string[];
  @ApiProperty({ description: 'Inspections of the declaration so far' }) rounds!: number;
  @ApiProperty({ type: [String] }) rectificationItems!: string[];
  @ApiProperty({ type: String, nullable: true }) rectificationDueDate!: string | null;
  @ApiProperty() declaredAt!: string;
  @ApiProperty({ description: 'Since when it waits in this place of the queue' }) waitingSince!: string;
}

export class RectificationDueView extends QueueEntryView {
  @ApiProperty({ description: 'The due date is before today' }) overdue!: boolean;
}

export class InspectionQueueView {
  @ApiProperty({ description: 'The city day (Asia/Shanghai) overdue is judged against' }) today!: string;
  @ApiProperty({ type: [QueueEntryView], description: 'Declarations and resubmitted rectifications to inspect, longest waiting first' })
  toInspect!: QueueEntryView[];
  @ApiProperty({ type: [RectificationDueView], description: 'Rectifications required, earliest due date first' })
  rectificationsDue!: RectificationDueView[];
}

export class AppealSummaryView {
  @ApiProperty() appealId!: string;
  @ApiProperty() creditCode!: string;
  @ApiProperty({ enum: APPEAL_CATEGORIES }) category!: string;
  @ApiProperty() subject!: string;
  @ApiProperty({ description: 'Code of the department it is routed to' }) department!: string;
  @ApiProperty() departmentName!: string;
  @ApiProperty({ type: String, nullable: true }) departmentNameZh!: string | null;
  @ApiProperty({ enum: ['open', 'answered', 'closed'] }) status!: string;
  @ApiProperty() dueAt!: string;
  @ApiProperty() escalated!: boolean;
  @ApiProperty({ type: String, nullable: true }) answer!: string | null;
  @ApiProperty() filedAt!: string;
  @ApiProperty() updatedAt!: string;
}
