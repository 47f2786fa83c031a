import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequireDepartment, Roles, type Actor } from '@city/auth';
import { ApiErrors } from '@city/service-kit';
import { RuleReplays, type ReplayJob } from '../application/rule-replays';
import { travellerHealthAccess } from '../domain/access-policy';
import { RULE_SET_SCHEMA, type RuleSet } from '../domain/risk-rules';
import { RULE_SETS } from '../domain/rule-sets';
import { ReplayJobView, ReplayParams, ReplayQuery, RuleSetParams } from './dto/rule-set.dto';

/** The slice of the response a replay's answer needs (both HTTP adapters have it). */
interface LocationResponse {
  header(name: string, value: string): unknown;
}

/** The risk rule sets the service knows, and dry runs of a rule set (known or new) over the whole history. */
@ApiTags('rule sets')
@Controller('rule-sets')
export class RuleSetsController {
  constructor(
    @Inject(RuleReplays) private readonly replays: RuleReplays,
    @Inject('TRAVELLER_HEALTH_RULE_SET') private readonly current: RuleSet,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The rule sets this service knows, with their rules; `current` classifies new registrations' })
  list(): { current: string; ruleSets: RuleSet[] } {
    return { current: this.current.version, ruleSets: [...RULE_SETS.values()] };
  }

  @Post(':version/replays')
  @HttpCode(202)
  @Roles(...travellerHealthAccess.rolesOf('replayRules'))
  @RequireDepartment('traveller-health')
  @ApiOperation({
    summary: 'Dry run: a rule set over every registration recorded; whose class would change and by which rules. Nothing is written.',
    description:
      'The body is the new rule set (JSON Schema of rule sets; its version must be the one in the path). Without a body, the rule set of that version ' +
      'the service knows. Registrations are classified again on the declaration sealed with them; erased people and registrations from before ' +
      'declarations were kept are counted, not replayed. The replay runs in the background (the history holds millions of registrations): ' +
      'the answer, 202, names it, and `Location` is where its progress and then its report are read.',
  })
  @ApiBody({ required: false, schema: RULE_SET_SCHEMA as unknown as Record<string, unknown> })
  @ApiAcceptedResponse({ type: ReplayJobView })
  @ApiErrors({ notFound: 'No rule set of that version is known (and none was sent)' })
  async replay(
    @CurrentActor() actor: Actor,
    @Param() p: RuleSetParams,
    @Query() q: ReplayQuery,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: LocationResponse,
  ): Promise<ReplayJob> {
    const job = await this.replays.start(actor, p.version, body, q.limit ?? 1000);
    res.header('Location', `/rule-sets/${encodeURIComponent(p.version)}/replays/${job.replayId}`);
    return job;
  }

  @Get(':version/replays/:replayId')
  @Roles(...travellerHealthAccess.rolesOf('replayRules'))
  @RequireDepartment('traveller-health')
  @ApiOperation({ summary: 'Where a replay stands: running (with the registrations read so far), done (with its report), failed or interrupted (ask again)' })
  @ApiOkResponse({ type: ReplayJobView })
  @ApiErrors({ notFound: 'No replay of that id under this rule set version' })
  replayStatus(@CurrentActor() actor: Actor, @Param() p: ReplayParams): Promise<ReplayJob> {
    return this.replays.get(actor, p.version, p.replayId);
  }
}
