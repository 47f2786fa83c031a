import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsDefined } from 'class-validator';
import { APPEAL_CATEGORIES, APPEAL_DEPARTMENT_CODES, type AppealCategory } from '@city/contracts';
import { EnumField, IdField, TextField } from '@city/service-kit';

export class FileAppealDto {
  @IdField({ optional: true, description: 'Client-chosen id; the same appeal sent again is recorded once. Generated when absent.' })
  appealId?: string;

  @EnumField(APPEAL_CATEGORIES)
  category!: AppealCategory;

  @TextField(200, { example: 'Twelve engineers cannot return from Hubei' })
  subject!: string;

  @TextField(4000, { optional: true, multiline: true })
  details?: string;

  @EnumField(APPEAL_DEPARTMENT_CODES, { optional: true, description: 'Department to route to; by default the one that handles the category' })
  department?: string;
}

export class AnswerAppealDto {
  @TextField(4000, { multiline: true, example: 'Remote staff count for the job-keeping subsidy' })
  answer!: string;
}

export class CloseAppealDto {
  @ApiProperty({ description: 'Whether the answer resolved the problem' })
  @IsDefined()
  @IsBoolean()
  resolved!: boolean;
}

export class ReopenAppealDto {
  @TextField(2000, { multiline: true, example: 'The portal refuses the application' })
  reason!: string;
}

export class AppealParams {
  @IdField()
  appealId!: string;
}

export class AppealReceiptView {
  @ApiProperty() appealId!: string;
  @ApiProperty({ example: 'enterprise-reopening.appeal-b6f1d0e2-3c4a-4e5b-8f7a-9d0c1e2f3a4b' }) streamId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ description: 'Events this call appended (0 for an idempotent retry)' }) eventsAppended!: number;
  @ApiPropertyOptional({ description: 'When the department’s answer is due' }) dueAt?: string;
}
