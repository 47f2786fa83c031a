import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequireDepartment, Roles, type Actor } from '@city/auth';
import { ApiCreatedOrRetried, ApiErrors, createdOrOk, requestContext, type StatusResponse } from '@city/service-kit';
import { ReliefCommands, type ApplicationReceipt } from '../application/relief-commands';
import { ReliefQueries, type ApplicationView } from '../application/relief-queries';
import type { ApplicationSummary } from '../application/relief-read-model';
import {
  ApplicationListQuery,
  ApplicationParams,
  ApplicationReceiptView,
  ApproveDto,
  DisbursementDto,
  RejectDto,
  SubmitApplicationDto,
  WithdrawDto,
} from './dto/relief.dto';

/** Applications: an enterprise applies and withdraws; the issuing office approves (in full or in part), rejects and records the money. */
@ApiTags('applications')
@Controller('applications')
export class ApplicationsController {
  constructor(
    @Inject(ReliefCommands) private readonly commands: ReliefCommands,
    @Inject(ReliefQueries) private readonly queries: ReliefQueries,
  ) {}

  @Post()
  @Roles('enterprise')
  @ApiOperation({ summary: 'Apply to a measure; the answer lists every eligibility rule with pass or fail and why' })
  @ApiCreatedOrRetried(ApplicationReceiptView)
  @ApiErrors({ notFound: 'Unknown measure', conflict: 'already-applied, measure-closed, measure-not-open, enterprise-not-known-yet, amount-above-limit' })
  async submit(
    @CurrentActor() actor: Actor,
    @Body() body: SubmitApplicationDto,
    @Res({ passthrough: true }) res: StatusResponse,
  ): Promise<ApplicationReceipt & { application: ApplicationView }> {
    const receipt = await this.commands.submit(requestContext(actor), body);
    createdOrOk(res, receipt);
    return { ...receipt, application: await this.queries.application(actor, receipt.applicationId) };
  }

  @Post(':applicationId/withdraw')
  @HttpCode(200)
  @Roles('enterprise')
  @ApiOperation({ summary: 'Withdraw an application before it is decided; withdrawing again changes nothing' })
  @ApiOkResponse({ type: ApplicationReceiptView })
  @ApiErrors({ notFound: 'Unknown application', conflict: 'application-already-decided' })
  withdraw(@CurrentActor() actor: Actor, @Param() params: ApplicationParams, @Body() body: WithdrawDto): Promise<ApplicationReceipt> {
    return this.commands.withdraw(requestContext(actor), params.applicationId, body.reason);
  }

  @Post(':applicationId/approve')
  @HttpCode(200)
  @Roles('department')
  @RequireDepartment('policy-relief')
  @ApiOperation({ summary: 'Approve without a visit, in full (no amount) or in part; the money is committed from the measure’s budget' })
  @ApiOkResponse({ type: ApplicationReceiptView })
  @ApiErrors({
    notFound: 'Unknown application',
    conflict: 'budget-exceeded, application-withdrawn, application-not-eligible, application-already-decided, grant-above-request',
  })
  approve(@CurrentActor() actor: Actor, @Param() params: ApplicationParams, @Body() body: ApproveDto): Promise<ApplicationReceipt> {
    return this.commands.approve(requestContext(actor), params.applicationId, body.grantedFen, body.note);
  }

  @Post(':applicationId/reject')
  @HttpCode(200)
  @Roles('department')
  @RequireDepartment('policy-relief')
  @ApiOperation({ summary: 'Reject with a reason' })
  @ApiOkResponse({ type: ApplicationReceiptView })
  @ApiErrors({ notFound: 'Unknown application', conflict: 'application-withdrawn, application-already-decided' })
  reject(@CurrentActor() actor: Actor, @Param() params: ApplicationParams, @Body() body: RejectDto): Promise<ApplicationReceipt> {
    return this.commands.reject(requestContext(actor), params.applicationId, body.reason);
  }

  @Post(':applicationId/disbursements')
  @Roles('department')
  @RequireDepartment('policy-relief')
  @ApiOperation({ summary: 'Record money paid: amount, day and reference; the same reference again changes nothing' })
  @ApiCreatedOrRetried(ApplicationReceiptView)
  @ApiErrors({ notFound: 'Unknown application', conflict: 'application-not-approved, disbursement-above-grant, disbursement-reference-reused' })
  async disburse(
    @CurrentActor() actor: Actor,
    @Param() params: ApplicationParams,
    @Body() body: DisbursementDto,
    @Res({ passthrough: true }) res: StatusResponse,
  ): Promise<ApplicationReceipt> {
    const receipt = await this.commands.disburse(requestContext(actor), params.applicationId, body);
    createdOrOk(res, receipt);
    return receipt;
  }

  @Get()
  @ApiOperation({ summary: 'Applications the caller may see (an enterprise its own, an issuing office its measures’), oldest first' })
  list(@CurrentActor() actor: Actor, @Query() query: ApplicationListQuery): Promise<ApplicationSummary[]> {
    return this.queries.list(actor, query);
  }

  @Get(':applicationId')
  @ApiOperation({ summary: 'An application as it is now: eligibility rule by rule, decision, money paid' })
  @ApiErrors({ notFound: 'Unknown application' })
  get(@CurrentActor() actor: Actor, @Param() params: ApplicationParams): Promise<ApplicationView> {
    return this.queries.application(actor, params.applicationId);
  }
}
