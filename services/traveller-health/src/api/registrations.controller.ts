import { Body, Controller, Get, HttpCode, Inject, Logger, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Public, RequireDepartment, type Actor } from '@city/auth';
import { AcceptingValidationPipe, httpErrorOf } from '@city/observability';
import { ApiCreatedOrRetried, ApiErrors, createdOrOk, requestContext, type StatusResponse } from '@city/service-kit';
import { RegistrationCommands, type RegistrationInput } from '../application/registration-commands';
import { SELF_REGISTRATION_ACTOR } from '../application/traveller-streams';
import {
  CheckpointDto,
  RegistrationBatchDto,
  RegistrationBatchResultView,
  RegistrationDto,
  RegistrationReceiptView,
  type BatchItemView,
} from './dto/registration.dto';

const logger = new Logger('RegistrationBatch');

/**
 * The registration endpoints validate their bodies with the acceptance walk (see AcceptingValidationPipe):
 * a valid registration skips class-transformer and class-validator, any other gets the platform pipe's 400.
 * The parameters are typed by interfaces, not the DTO classes, so that the global pipe leaves them to these;
 * `@ApiBody` keeps the DTOs in the API docs.
 */
const registrationPipe = new AcceptingValidationPipe(RegistrationDto);
const batchPipe = new AcceptingValidationPipe(RegistrationBatchDto);

/** The batch body once its DTO accepted it: the registrations are checked one by one. */
interface RegistrationBatchBody {
  readonly registrations: unknown[];
}

/** Registration at checkpoints: from a traveller's phone (no account), from a kiosk, and the checkpoints themselves. */
@ApiTags('registrations')
@Controller()
export class RegistrationsController {
  constructor(@Inject(RegistrationCommands) private readonly commands: RegistrationCommands) {}

  @Post('registrations')
  @Public()
  @ApiOperation({
    summary: 'A traveller registers from their phone (the QR code at the checkpoint); answers their class and why',
    description: 'Idempotent by registrationId. Personal data is sealed in this service; only a pseudonymous id leaves it.',
  })
  @ApiBody({ type: RegistrationDto })
  @ApiCreatedOrRetried(RegistrationReceiptView)
  async register(@Body(registrationPipe) body: RegistrationInput, @Res({ passthrough: true }) res: StatusResponse): Promise<RegistrationReceiptView> {
    const receipt = await this.commands.register(requestContext(SELF_REGISTRATION_ACTOR), body, 'phone');
    createdOrOk(res, receipt);
    return receipt as RegistrationReceiptView;
  }

  @Post('registration-batches')
  @HttpCode(200)
  @RequireDepartment('traveller-health')
  @ApiOperation({
    summary: 'A checkpoint kiosk that was offline sends up to 100 registrations; each is checked and answered on its own',
    description: 'Each result has the status the single endpoint would answer (201, 200, 400 with fields, 409), and its receipt or error.',
  })
  @ApiBody({ type: RegistrationBatchDto })
  @ApiOkResponse({ type: RegistrationBatchResultView })
  @ApiErrors()
  async registerBatch(@CurrentActor() actor: Actor, @Body(batchPipe) body: RegistrationBatchBody): Promise<RegistrationBatchResultView> {
    const ctx = requestContext(actor);
    const checked = await Promise.allSettled(
      body.registrations.map(async (item) => (await registrationPipe.transform(item, { type: 'body', metatype: RegistrationDto })) as RegistrationInput),
    );
    const valid = checked.flatMap((c) => (c.status === 'fulfilled' ? [c.value] : []));
    const outcomes = await this.commands.registerBatch(ctx, valid);
    let next = 0;
    const results = checked.map((c, i): BatchItemView => {
      const registrationId = idOf(body.registrations[i]);
      const outcome: PromiseSettledResult<unknown> = c.status === 'rejected' ? c : outcomes[next++];
      if (outcome.status === 'fulfilled') {
        const receipt = outcome.value as RegistrationReceiptView;
        return { status: receipt.eventsAppended > 0 ? 201 : 200, registrationId: receipt.registrationId, receipt };
      }
      const { status, body: error, isServerError } = httpErrorOf(outcome.reason);
      if (isServerError) logger.error({ err: outcome.reason }, 'A registration of a batch failed with a server error');
      return { status, ...(registrationId ? { registrationId } : {}), error };
    });
    return {
      recorded: results.filter((r) => r.status === 201).length,
      alreadyRecorded: results.filter((r) => r.status === 200).length,
      refused: results.filter((r) => r.status >= 400).length,
      results,
    };
  }

  @Post('checkpoints')
  @RequireDepartment('traveller-health')
  @ApiOperation({ summary: 'The city registers a checkpoint (road, railway station, airport, port) in a district' })
  @ApiCreatedOrRetried(CheckpointDto)
  @ApiErrors({ conflict: 'Rule violation: checkpoint-already-registered' })
  async registerCheckpoint(@CurrentActor() actor: Actor, @Body() body: CheckpointDto, @Res({ passthrough: true }) res: StatusResponse) {
    const receipt = await this.commands.registerCheckpoint(requestContext(actor), { ...body });
    createdOrOk(res, receipt);
    return receipt;
  }

  @Get('checkpoints')
  @Public()
  @ApiOperation({ summary: "The city's checkpoints (the registration page lists them)" })
  @ApiOkResponse({ type: [CheckpointDto] })
  checkpoints(): Promise<CheckpointDto[]> {
    return this.commands.checkpointsList();
  }
}

function idOf(item: unknown): string | undefined {
  const id = typeof item === 'object' && item !== null ? (item as { registrationId?: unknown }).registrationId : undefined;
  return typeof id === 'string' && id.length <= 100 ? id : undefined;
}
