import Ajv2020 from 'ajv/dist/2020';
import type { FiredRule, RiskClass } from '@city/contracts';

/**
 * Risk classification as versioned data (ARCHITECTURE.md decision 15): a rule set names its
 * key areas and fever threshold and lists rules, each a conjunction of conditions over what a
 * traveller declared. The engine is small and ours: every rule whose conditions all hold fires,
 * the traveller is `key` when any rule of class `key` fires, and the classification records the
 * rule set's version and each fired rule with its reason.
 */

export const SYMPTOMS = ['fever', 'cough', 'shortness-of-breath', 'fatigue', 'sore-throat', 'diarrhoea', 'loss-of-smell'] as const;
export type Symptom = (typeof SYMPTOMS)[number];

/** Conditions of a rule; all that are given must hold. */
export interface RuleConditions {
  /** Origin province or city is a key area. */
  readonly originInKeyArea?: true;
  /** Declared a stay in a key area within the last 14 days. */
  readonly stayedInKeyArea?: true;
  /** Declared contact with a confirmed or suspected case. */
  readonly contactWithCases?: true;
  /** Temperature at the checkpoint at or above the rule set's fever threshold. */
  readonly fever?: true;
  /** Declared every one of these symptoms. */
  readonly symptomsAll?: readonly Symptom[];
}

export interface RiskRule {
  readonly id: string;
  readonly class: RiskClass;
  readonly reason: string;
  readonly when: RuleConditions;
}

export interface RuleSet {
  readonly version: string;
  readonly description?: string;
  /** GB/T 2260 codes of provinces and cities that count as key areas. */
  readonly keyAreas: readonly string[];
  readonly feverThresholdC: number;
  readonly rules: readonly RiskRule[];
}

/** What the rules look at: a traveller's origin and health declaration. */
export interface RiskFacts {
  readonly originProvinceCode: string;
  readonly originCityCode: string;
  readonly temperatureC: number;
  readonly symptoms: readonly Symptom[];
  readonly contactWithCases: boolean;
  /** Area codes (province or city) of stays in the last 14 days. */
  readonly keyAreaStays: readonly string[];
}

export interface Classification {
  readonly riskClass: RiskClass;
  readonly ruleSetVersion: string;
  readonly firedRules: readonly FiredRule[];
}

export const RULE_SET_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://schemas.city-ops.example/traveller-health/rule-set.schema.json',
  title: 'Risk rule set',
  type: 'object',
  additionalProperties: false,
  required: ['version', 'keyAreas', 'feverThresholdC', 'rules'],
  properties: {
    version: { type: 'string', pattern: '^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$' },
    description: { type: 'string' },
    keyAreas: { type: 'array', items: { type: 'string', pattern: '^[1-9]\\d{3}00$' }, uniqueItems: true },
    feverThresholdC: { type: 'number', minimum: 36.5, maximum: 39 },
    rules: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'class', 'reason', 'when'],
        properties: {
          id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,20}$' },
          class: { enum: ['key', 'general'] },
          reason: { type: 'string', minLength: 1, maxLength: 300 },
          when: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: {
              originInKeyArea: { const: true },
              stayedInKeyArea: { const: true },
              contactWithCases: { const: true },
              fever: { const: true },
              symptomsAll: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...SYMPTOMS] } },
            },
          },
        },
      },
    },
  },
} as const;

const validate = new Ajv2020({ allErrors: true }).compile(RULE_SET_SCHEMA);

/** The rule set if it is valid (its schema, and rule ids unique), else an Error naming each problem. */
export function parseRuleSet(input: unknown): RuleSet {
  const problems = ruleSetProblems(input);
  const listed = Object.entries(problems).flatMap(([path, messages]) => messages.map((m) => `${path ? `/${path.replace(/\./g, '/')}` : '/'} ${m}`));
  if (listed.length > 0) throw new Error(`Invalid rule set: ${listed.join('; ')}`);
  return input as RuleSet;
}

/** What is wrong with a rule set, by field path (`rules.1.when`, `feverThresholdC`; '' for the whole); empty when it is valid. */
export function ruleSetProblems(input: unknown): Record<string, string[]> {
  const problems: Record<string, string[]> = {};
  const add = (path: string, message: string) => (problems[path] ??= []).push(message);
  if (!validate(input)) {
    for (const e of validate.errors ?? []) {
      const extra = e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : '';
      add(e.instancePath.slice(1).replace(/\//g, '.'), `${e.message ?? 'is not valid'}${extra}`);
    }
    return problems;
  }
  const ids = (input as unknown as RuleSet).rules.map((r) => r.id);
  ids.forEach((id, i) => {
    if (ids.indexOf(id) !== i) add(`rules.${i}.id`, `rule id ${id} is used twice`);
  });
  return problems;
}

function holds(when: RuleConditions, facts: RiskFacts, ruleSet: RuleSet): boolean {
  const inKeyArea = (code: string) => ruleSet.keyAreas.includes(code) || ruleSet.keyAreas.includes(`${code.slice(0, 2)}0000`);
  if (when.originInKeyArea && !(inKeyArea(facts.originCityCode) || ruleSet.keyAreas.includes(facts.originProvinceCode))) return false;
  if (when.stayedInKeyArea && !facts.keyAreaStays.some(inKeyArea)) return false;
  if (when.contactWithCases && !facts.contactWithCases) return false;
  if (when.fever && facts.temperatureC < ruleSet.feverThresholdC) return false;
  if (when.symptomsAll && !when.symptomsAll.every((s) => facts.symptoms.includes(s))) return false;
  return true;
}

/** Classifies a traveller: pure, so a new rule set can be replayed over history as a dry run. */
export function classify(ruleSet: RuleSet, facts: RiskFacts): Classification {
  const fired = ruleSet.rules.filter((rule) => holds(rule.when, facts, ruleSet));
  return {
    riskClass: fired.some((r) => r.class === 'key') ? 'key' : 'general',
    ruleSetVersion: ruleSet.version,
    firedRules: fired.map((r) => ({ ruleId: r.id, reason: r.reason })),
  };
}
