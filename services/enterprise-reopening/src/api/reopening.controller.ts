import { Body, Controller, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequireDepartment, type Actor } from '@city/auth';
import { AcceptingValidationPipe } from '@city/observability';
import { ApiCreatedOrRetried, ApiErrors, createdOrOk, requestContext, type StatusResponse } from '@city/service-kit';
import { EnterpriseCommands } from '../application/enterprise-commands';
import { EnterpriseParams, EnterpriseReceiptView } from './dto/enterprise.dto';
import { DailyReportDto, DeclareReopeningDto, RecordInspectionDto, SubmitRectificationDto, SurveyAnswerDto } from './dto/reopening.dto';

/**
 * The commands every enterprise sends, declarations and daily reports, check their bodies with the
 * acceptance walk (see AcceptingValidationPipe): a valid body skips class-transformer and
 * class-validator, any other gets the platform pipe's 400 as before. Their bodies are typed by mapped
 * types, not the DTO classes, so that the global pipe leaves them to these; `@ApiBody` keeps the DTOs
 * in the API docs. The credit code in the path takes the same shorter road inside the global pipe
 * (`acceptWhenValid(EnterpriseParams)`).
 */
const declarationPipe = new AcceptingValidationPipe(DeclareReopeningDto);
const dailyReportPipe = new AcceptingValidationPipe(DailyReportDto);
type DeclarationBody = Readonly<DeclareReopeningDto>;
type DailyReportBody = Readonly<DailyReportDto>;

/** An enterprise's way back to work: declaration, inspection, rectification, reopening, daily reports, surveys. */
@ApiTags('reopening')
@Controller('enterprises/:creditCode')
@RequireDepartment('enterprise-reopening')
export class ReopeningController {
  constructor(@Inject(EnterpriseCommands) private readonly commands: EnterpriseCommands) {}

  @Post('declarations')
  @ApiOperation({
    summary: 'Declare the reopening; the checklist is checked item by item against the industry guideline in force (the enterprise itself, or the commission)',
  })
  @ApiBody({ type: DeclareReopeningDto })
  @ApiCreatedOrRetried(EnterpriseReceiptView)
  @ApiErrors({
    notFound: 'Unknown enterprise',
    conflict:
      'checklist-incomplete (names each missing measure), measure-not-in-guideline, declaration-pending, day-in-the-past, idempotency-key-reused (the declarationId resent with other terms)',
  })
  async declare(
    @CurrentActor() actor: Actor,
    @Param() p: EnterpriseParams,
    @Body(declarationPipe) body: DeclarationBody,
    @Res({ passthrough: true }) res: StatusResponse,
  ): Promise<EnterpriseReceiptView> {
    return created(res, await this.commands.declare(requestContext(actor), p.creditCode, body));
  }

  @Post('inspections')
  @ApiOperation({ summary: 'Record a subdistrict inspection: passed, rectification required (items, due date) or suspended (inspectors in their district)' })
  @ApiCreatedOrRetried(EnterpriseReceiptView)
  @ApiErrors({
    notFound: 'Unknown enterprise or declaration',
    conflict:
      'declaration-already-decided, measure-not-in-guideline, rectification-items-required, idempotency-key-reused (the inspectionId resent with other terms)',
  })
  async inspect(
    @CurrentActor() actor: Actor,
    @Param() p: EnterpriseParams,
    @Body() body: RecordInspectionDto,
    @Res({ passthrough: true }) res: StatusResponse,
  ): Promise<EnterpriseReceiptView> {
    return created(res, await this.commands.inspect(requestContext(actor), p.creditCode, body));
  }

  @Post('rectifications')
  @ApiOperation({ summary: 'Report the items an inspection named put right, for re-inspection' })
  @ApiCreatedOrRetried(EnterpriseReceiptView)
  @ApiErrors({ notFound: 'Unknown enterprise or declaration', conflict: 'no-rectification-required, rectification-incomplete' })
  async rectify(
    @CurrentActor() actor: Actor,
    @Param() p: EnterpriseParams,
    @Body() body: SubmitRectificationDto,
    @Res({ passthrough: true }) res: StatusResponse,
  ): Promise<EnterpriseReceiptView> {
    return created(res, await this.commands.submitRectification(requestContext(actor), p.creditCode, body));
  }

  @Post('reopening')
  @HttpCode(200)
  @ApiOperation({ summary: 'Report the enterprise reopened today; again changes nothing' })
  @ApiOkResponse({ type: EnterpriseReceiptView })
  @ApiErrors({ notFound: 'Unknown enterprise', conflict: 'enterprise-suspended, not-cleared-to-reopen' })
  reopen(@CurrentActor() actor: Actor, @Param() p: EnterpriseParams): Promise<EnterpriseReceiptView> {
    return this.commands.reportReopened(requestContext(actor), p.creditCode);
  }

  @Post('daily-reports')
  @ApiOperation({ summary: 'Report a day’s on-site workforce; a second report for the same day corrects the first' })
  @ApiBody({ type: DailyReportDto })
  @ApiCreatedOrRetried(EnterpriseReceiptView)
  @ApiErrors({ notFound: 'Unknown enterprise', conflict: 'enterprise-not-reopened, report-for-future-day, report-before-reopening' })
  async report(
    @CurrentActor() actor: Actor,
    @Param() p: EnterpriseParams,
    @Body(dailyReportPipe) body: DailyReportBody,
    @Res({ passthrough: true }) res: StatusResponse,
  ): Promise<EnterpriseReceiptView> {
    return created(res, await this.commands.reportDailyWorkforce(requestContext(actor), p.creditCode, body));
  }

  @Post('surveys')
  @ApiOperation({ summary: 'Answer a questionnaire on the enterprise’s difficulties (once per survey)' })
  @ApiCreatedOrRetried(EnterpriseReceiptView)
  @ApiErrors({ notFound: 'Unknown enterprise' })
  async survey(
    @CurrentActor() actor: Actor,
    @Param() p: EnterpriseParams,
    @Body() body: SurveyAnswerDto,
    @Res({ passthrough: true }) res: StatusResponse,
  ): Promise<EnterpriseReceiptView> {
    return created(res, await this.commands.answerSurvey(requestContext(actor), p.creditCode, body));
  }
}

function created<R extends { eventsAppended: number }>(res: StatusResponse, receipt: R): R {
  createdOrOk(res, receipt);
  return receipt;
}
