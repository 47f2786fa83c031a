import { Body, Controller, Get, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequireDepartment, type Actor } from '@city/auth';
import { ApiCreatedOrRetried, ApiErrors, createdOrOk, requestContext, type StatusResponse } from '@city/service-kit';
import { EnterpriseCommands } from '../application/enterprise-commands';
import { EnterpriseQueries } from '../application/enterprise-queries';
import { EnterpriseParams, EnterpriseReceiptView, EnterpriseView, RegisterEnterpriseDto } from './dto/enterprise.dto';

/** Enterprises, keyed by their unified social credit code. */
@ApiTags('enterprises')
@Controller('enterprises')
export class EnterprisesController {
  constructor(
    @Inject(EnterpriseCommands) private readonly commands: EnterpriseCommands,
    @Inject(EnterpriseQueries) private readonly queries: EnterpriseQueries,
  ) {}

  @Post()
  @RequireDepartment('enterprise-reopening')
  @ApiOperation({ summary: 'Register an enterprise; the same registration again changes nothing' })
  @ApiCreatedOrRetried(EnterpriseReceiptView)
  @ApiErrors({ conflict: 'Rule violation: invalid-credit-code, enterprise-already-registered, subdistrict-outside-district' })
  async register(
    @CurrentActor() actor: Actor,
    @Body() body: RegisterEnterpriseDto,
    @Res({ passthrough: true }) res: StatusResponse,
  ): Promise<EnterpriseReceiptView> {
    const receipt = await this.commands.register(requestContext(actor), body);
    createdOrOk(res, receipt);
    return receipt;
  }

  @Get(':creditCode')
  @ApiOperation({ summary: 'An enterprise as it is now, with its stream version' })
  @ApiOkResponse({ type: EnterpriseView })
  @ApiErrors({ notFound: 'Unknown enterprise' })
  get(@CurrentActor() actor: Actor, @Param() params: EnterpriseParams): Promise<EnterpriseView> {
    return this.queries.enterpriseOf(actor, params.creditCode);
  }
}
