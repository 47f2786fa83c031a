import { TRAVELLER_HEALTH_STREAM_PREFIX, type TravellerRegistered } from '@city/contracts';
import { NotFoundError, ValidationError, type EventStore } from '@city/eventsourcing';
import { travellerHealthAccess } from '../domain/access-policy';
import type { Actor } from '../domain/command-context';
import { RuleReplay, type ReplayReport } from '../domain/rule-replay';
import { ruleSetProblems, type RuleSet } from '../domain/risk-rules';
import type { PersonalDataVault } from './personal-data-vault';

const TRAVELLER_STREAMS = `${TRAVELLER_HEALTH_STREAM_PREFIX}traveller-`;

/**
 * Dry runs of a rule set over the whole history: every registration recorded (the
 * `TravellerRegistered` events, with the class and rules of their day) is classified again on
 * the declaration sealed with it, page by page; nothing is appended or changed.
 */
export class RuleReplays {
  constructor(
    private readonly store: EventStore,
    private readonly vault: PersonalDataVault,
    private readonly known: ReadonlyMap<string, RuleSet>,
    private readonly pageSize = 1000,
  ) {}

  /**
   * Replays the rule set given (its `version` must be the one in the path), or without one the
   * rule set of that version the service knows. The city's health department only.
   */
  async replay(actor: Actor, version: string, submitted: unknown, changeLimit: number): Promise<ReplayReport> {
    travellerHealthAccess.assert('replayRules', actor);
    const ruleSet = this.ruleSetOf(version, submitted);
    const replay = new RuleReplay(ruleSet, changeLimit);
    let after = 0n;
    for (;;) {
      const events = await this.store.readAll({ after, limit: this.pageSize, streamPrefix: TRAVELLER_STREAMS });
      if (events.length === 0) break;
      after = events[events.length - 1].globalPosition;
      const registrations = events.filter((e) => e.type === 'TravellerRegistered').map((e) => e.data as TravellerRegistered['data']);
      const declarations = await this.vault.declarationsOf(registrations.map((r) => r.registrationId));
      for (const r of registrations) {
        const declared = declarations.get(r.registrationId) ?? 'not-kept';
        replay.add({
          registrationId: r.registrationId,
          travellerId: r.travellerId,
          registeredAt: r.registeredAt,
          riskClass: r.riskClass,
          ruleSetVersion: r.ruleSetVersion,
          firedRuleIds: r.firedRules.map((f) => f.ruleId),
          facts: typeof declared === 'string' ? declared : { ...declared, originProvinceCode: r.originProvinceCode, originCityCode: r.originCityCode },
        });
      }
      if (events.length < this.pageSize) break;
    }
    return replay.report();
  }

  private ruleSetOf(version: string, submitted: unknown): RuleSet {
    const empty = submitted === undefined || submitted === null || (typeof submitted === 'object' && Object.keys(submitted).length === 0);
    if (empty) {
      const known = this.known.get(version);
      if (!known) throw new NotFoundError(`No rule set ${version} is known to the service; send the rule set in the body to replay a new one`);
      return known;
    }
    const problems = ruleSetProblems(submitted);
    if (Object.keys(problems).length > 0) {
      const { '': whole, ...fields } = problems;
      throw new ValidationError('The rule set is not valid', whole ? { ...fields, body: whole } : fields);
    }
    const ruleSet = submitted as RuleSet;
    if (ruleSet.version !== version)
      throw new ValidationError('The rule set is not the one named in the path', { version: [`version is ${ruleSet.version}, not ${version}`] });
    return ruleSet;
  }
}
