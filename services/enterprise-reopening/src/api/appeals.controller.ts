import { Body, Controller, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequireDepartment, type Actor } from '@city/auth';
import { ApiCreatedOrRetried, ApiErrors, createdOrOk, requestContext, type StatusResponse } from '@city/service-kit';
import { AppealCommands } from '../application/appeal-commands';
import { AppealQueries, type AppealView } from '../application/appeal-queries';
import { QueueQueries, type AppealListItem } from '../application/queue-queries';
import { AnswerAppealDto, AppealParams, AppealReceiptView, CloseAppealDto, FileAppealDto, ReopenAppealDto } from './dto/appeal.dto';
import { EnterpriseParams } from './dto/enterprise.dto';
import { AppealSummaryView } from './dto/queue.dto';

/** Appeals of enterprises, routed to a department with a due time; escalated when overdue. */
@ApiTags('appeals')
@Controller()
export class AppealsController {
  constructor(
    @Inject(AppealCommands) private readonly commands: AppealCommands,
    @Inject(AppealQueries) private readonly queries: AppealQueries,
    @Inject(QueueQueries) private readonly lists: QueueQueries,
  ) {}

  @Post('enterprises/:creditCode/appeals')
  @RequireDepartment('enterprise-reopening')
  @ApiOperation({ summary: 'File an appeal (the enterprise itself); routed to the department of its category unless one is named, due in 72 hours' })
  @ApiCreatedOrRetried(AppealReceiptView)
  @ApiErrors({ notFound: 'Unknown enterprise', conflict: 'appeal-id-taken' })
  async file(
    @CurrentActor() actor: Actor,
    @Param() p: EnterpriseParams,
    @Body() body: FileAppealDto,
    @Res({ passthrough: true }) res: StatusResponse,
  ): Promise<AppealReceiptView> {
    const receipt = await this.commands.file(requestContext(actor), p.creditCode, body);
    createdOrOk(res, receipt);
    return receipt;
  }

  @Get('enterprises/:creditCode/appeals')
  @ApiOperation({ summary: 'An enterprise’s appeals, newest first, each with its department, due time and answer' })
  @ApiOkResponse({ type: [AppealSummaryView] })
  @ApiErrors({ notFound: 'Unknown enterprise' })
  list(@CurrentActor() actor: Actor, @Param() p: EnterpriseParams): Promise<AppealListItem[]> {
    return this.lists.appealsOf(actor, p.creditCode);
  }

  @Post('appeals/:appealId/answer')
  @HttpCode(200)
  @RequireDepartment('enterprise-reopening')
  @ApiOperation({ summary: 'Record the answer of the department (the commission’s desk, or district staff)' })
  @ApiOkResponse({ type: AppealReceiptView })
  @ApiErrors({ notFound: 'Unknown appeal', conflict: 'appeal-already-answered, appeal-closed' })
  answer(@CurrentActor() actor: Actor, @Param() p: AppealParams, @Body() body: AnswerAppealDto): Promise<AppealReceiptView> {
    return this.commands.answer(requestContext(actor), p.appealId, body.answer);
  }

  @Post('appeals/:appealId/close')
  @HttpCode(200)
  @RequireDepartment('enterprise-reopening')
  @ApiOperation({ summary: 'Close an answered appeal (the enterprise), saying whether it resolved the problem' })
  @ApiOkResponse({ type: AppealReceiptView })
  @ApiErrors({ notFound: 'Unknown appeal', conflict: 'appeal-not-answered' })
  close(@CurrentActor() actor: Actor, @Param() p: AppealParams, @Body() body: CloseAppealDto): Promise<AppealReceiptView> {
    return this.commands.close(requestContext(actor), p.appealId, body.resolved);
  }

  @Post('appeals/:appealId/reopen')
  @HttpCode(200)
  @RequireDepartment('enterprise-reopening')
  @ApiOperation({ summary: 'Reopen an answered or closed appeal (the enterprise); a new answer is due in 72 hours' })
  @ApiOkResponse({ type: AppealReceiptView })
  @ApiErrors({ notFound: 'Unknown appeal', conflict: 'appeal-still-open' })
  reopen(@CurrentActor() actor: Actor, @Param() p: AppealParams, @Body() body: ReopenAppealDto): Promise<AppealReceiptView> {
    return this.commands.reopen(requestContext(actor), p.appealId, body.reason);
  }

  @Get('appeals/:appealId')
  @ApiOperation({ summary: 'An appeal with its history' })
  @ApiErrors({ notFound: 'Unknown appeal' })
  get(@CurrentActor() actor: Actor, @Param() p: AppealParams): Promise<AppealView> {
    return this.queries.appealOf(actor, p.appealId);
  }
}
