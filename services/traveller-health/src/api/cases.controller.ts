import { Body, Controller, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequireDepartment, Roles, type Actor } from '@city/auth';
import { ApiCreatedOrRetried, ApiErrors, createdOrOk, requestContext, type StatusResponse } from '@city/service-kit';
import { CaseCommands } from '../application/case-commands';
import { CaseQueries } from '../application/case-queries';
import { CaseParams, CaseReceiptView, CaseView, OpenCaseDto } from './dto/case.dto';

/** Traveller health cases: open, close, read. */
@ApiTags('cases')
@Controller('cases')
export class CasesController {
  constructor(
    @Inject(CaseCommands) private readonly commands: CaseCommands,
    @Inject(CaseQueries) private readonly queries: CaseQueries,
  ) {}

  @Post()
  @Roles('district-staff', 'department')
  @RequireDepartment('traveller-health')
  @ApiOperation({ summary: 'Open a case in a district' })
  @ApiCreatedOrRetried(CaseReceiptView)
  @ApiErrors({ conflict: 'Rule violation: case-already-opened' })
  async open(@CurrentActor() actor: Actor, @Body() body: OpenCaseDto, @Res({ passthrough: true }) res: StatusResponse): Promise<CaseReceiptView> {
    const receipt = await this.commands.openCase(requestContext(actor), body);
    createdOrOk(res, receipt);
    return receipt;
  }

  @Post(':caseId/close')
  @HttpCode(200)
  @Roles('district-staff', 'department')
  @RequireDepartment('traveller-health')
  @ApiOperation({ summary: 'Close a case; closing it again changes nothing' })
  @ApiOkResponse({ type: CaseReceiptView })
  @ApiErrors({ notFound: 'Unknown case' })
  close(@CurrentActor() actor: Actor, @Param() params: CaseParams): Promise<CaseReceiptView> {
    return this.commands.closeCase(requestContext(actor), params.caseId);
  }

  @Get(':caseId')
  @ApiOperation({ summary: 'A case as it is now, with its stream version' })
  @ApiOkResponse({ type: CaseView })
  @ApiErrors({ notFound: 'Unknown case' })
  get(@CurrentActor() actor: Actor, @Param() params: CaseParams): Promise<CaseView> {
    return this.queries.caseOf(actor, params.caseId);
  }
}
