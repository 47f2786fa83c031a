import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min } from 'class-validator';
import { FiredRuleView } from './registration.dto';

export class RuleSetParams {
  @ApiProperty({ example: '2020-02-20' })
  @IsString()
  @Matches(/^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$/, { message: '$property must be 1-40 letters, digits, or . _ -' })
  version!: string;
}

export class ReplayParams extends RuleSetParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  replayId!: string;
}

export class ReplayQuery {
  @ApiPropertyOptional({ default: 1000, maximum: 10000, description: 'How many changes to list (the counts cover all)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10000)
  limit?: number;
}

export class ReplayChangeView {
  @ApiProperty() registrationId!: string;
  @ApiProperty({ description: 'Pseudonymous' }) travellerId!: string;
  @ApiProperty() registeredAt!: string;
  @ApiProperty({ enum: ['becomes-key', 'becomes-general'] }) change!: string;
  @ApiProperty({ enum: ['key', 'general'] }) classBefore!: string;
  @ApiProperty() ruleSetVersionBefore!: string;
  @ApiProperty({ type: [String] }) firedBefore!: string[];
  @ApiProperty({ type: [FiredRuleView], description: 'The rules of the replayed set that fire now' }) firedRules!: FiredRuleView[];
}

export class NotReplayableView {
  @ApiProperty({ description: "The person's data key was destroyed" }) erased!: number;
  @ApiProperty({ description: 'Registered before declarations were kept' }) notKept!: number;
}

export class ReplayReportView {
  @ApiProperty() ruleSetVersion!: string;
  @ApiProperty() registrations!: number;
  @ApiProperty() replayed!: number;
  @ApiProperty() unchanged!: number;
  @ApiProperty() becomeKey!: number;
  @ApiProperty() becomeGeneral!: number;
  @ApiProperty({ type: NotReplayableView }) notReplayable!: NotReplayableView;
  @ApiProperty({ type: [ReplayChangeView] }) changes!: ReplayChangeView[];
  @ApiProperty() changesListed!: number;
}

export class ReplayJobView {
  @ApiProperty({ format: 'uuid' }) replayId!: string;
  @ApiProperty() ruleSetVersion!: string;
  @ApiProperty({ enum: ['running', 'done', 'failed', 'interrupted'], description: 'interrupted: the replica running it stopped; ask again' }) status!: string;
  @ApiProperty({ description: 'Who asked' }) requestedBy!: string;
  @ApiProperty() requestedAt!: string;
  @ApiProperty({ description: 'Registrations read so far (all of them once done)' }) registrationsRead!: number;
  @ApiPropertyOptional() finishedAt?: string;
  @ApiPropertyOptional({ type: ReplayReportView, description: 'Once done' }) report?: ReplayReportView;
  @ApiPropertyOptional({ description: 'Once failed' }) error?: string;
}
