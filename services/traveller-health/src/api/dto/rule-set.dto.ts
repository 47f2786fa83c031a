import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { FiredRuleView } from './registration.dto';

export class RuleSetParams {
  @ApiProperty({ example: '2020-02-20' })
  @IsString()
  @Matches(/^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$/, { message: '$property must be 1-40 letters, digits, or . _ -' })
  version!: string;
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
