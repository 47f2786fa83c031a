import { classify, parseRuleSet, type RiskFacts } from './risk-rules';
import { CURRENT_RULE_SET_VERSION, RULE_SETS } from './rule-sets';

const rules = RULE_SETS.get(CURRENT_RULE_SET_VERSION)!;
const healthy: RiskFacts = {
  originProvinceCode: '320000',
  originCityCode: '320100',
  temperatureC: 36.5,
  symptoms: [],
  contactWithCases: false,
  keyAreaStays: [],
};

describe('risk rules', () => {
  it('classifies a healthy traveller from elsewhere as general, no rule fired', () =>
    expect(classify(rules, healthy)).toEqual({ riskClass: 'general', ruleSetVersion: '2020-02-10', firedRules: [] }));
  it('names rule R2 with its reason for a stay in a key area', () =>
    expect(classify(rules, { ...healthy, keyAreaStays: ['420100'] })).toEqual({
      riskClass: 'key',
      ruleSetVersion: '2020-02-10',
      firedRules: [{ ruleId: 'R2', reason: 'stayed in a key area within 14 days' }],
    }));
  it('fires every rule that holds: origin, fever, symptom combination', () =>
    expect(
      classify(rules, {
        ...healthy,
        originProvinceCode: '420000',
        originCityCode: '420100',
        temperatureC: 37.3,
        symptoms: ['cough', 'shortness-of-breath'],
      }).firedRules.map((r) => r.ruleId),
    ).toEqual(['R1', 'R4', 'R5']));
  it('does not fire a symptom combination on one symptom alone', () => expect(classify(rules, { ...healthy, symptoms: ['cough'] }).riskClass).toBe('general'));
  it('refuses a rule set that breaks its schema, naming where', () =>
    expect(() => parseRuleSet({ version: 'x', keyAreas: [], feverThresholdC: 50, rules: [] })).toThrow(/feverThresholdC.*|rules/));
  it('refuses a rule set with a rule id used twice', () =>
    expect(() => parseRuleSet({ ...rules, rules: [rules.rules[0], rules.rules[0]] })).toThrow(/used twice/));
});
