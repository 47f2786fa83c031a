import { parseRuleSet, type RuleSet } from '../risk-rules';
import ruleSet20200210 from './2020-02-10.json';

/** The rule sets the service knows, by version, each validated against the rule-set schema when loaded. */
export const RULE_SETS: ReadonlyMap<string, RuleSet> = new Map([ruleSet20200210].map((r) => [r.version, parseRuleSet(r)]));

/** The rule set new registrations are classified by unless configuration names another. */
export const CURRENT_RULE_SET_VERSION = '2020-02-10';
