import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequireDepartment, Roles, type Actor } from '@city/auth';
import { ApiErrors } from '@city/service-kit';
import { RuleReplays } from '../application/rule-replays';
import { travellerHealthAccess } from '../domain/access-policy';
import { RULE_SET_SCHEMA, type RuleSet } from '../domain/risk-rules';
import type { ReplayReport } from '../domain/rule-replay';
import { RULE_SETS } from '../domain/rule-sets';
import { ReplayQuery, ReplayReportView, RuleSetParams } from './dto/rule-set.dto';

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
  @HttpCode(200)
  @Roles(...travellerHealthAccess.rolesOf('replayRules'))
  @RequireDepartment('traveller-health')
  @ApiOperation({
    summary: 'Dry run: a rule set over every registration recorded; whose class would change and by which rules. Nothing is written.',
    description:
      'The body is the new rule set (JSON Schema of rule sets; its version must be the one in the path). Without a body, the rule set of that version ' +
      'the service knows. Registrations are classified again on the declaration sealed with them; erased people and registrations from before ' +
      'declarations were kept are counted, not replayed.',
  })
  @ApiBody({ required: false, schema: RULE_SET_SCHEMA as unknown as Record<string, unknown> })
  @ApiOkResponse({ type: ReplayReportView })
  @ApiErrors({ notFound: 'No rule set of that version is known (and none was sent)' })
  replay(@CurrentActor() actor: Actor, @Param() p: RuleSetParams, @Query() q: ReplayQuery, @Body() body: unknown): Promise<ReplayReport> {
    return this.replays.replay(actor, p.version, body, q.limit ?? 1000);
  }
}
