import type { RiskFacts, RuleSet } from './risk-rules';
import { RuleReplay, type PastRegistration } from './rule-replay';
import { CURRENT_RULE_SET_VERSION, RULE_SETS } from './rule-sets';

const current = RULE_SETS.get(CURRENT_RULE_SET_VERSION)!;
/** Zhejiang's Wenzhou becomes a key area, and fever starts at 37.0 °C. */
const wider: RuleSet = { ...current, version: '2020-02-20', keyAreas: ['420000', '330300'], feverThresholdC: 37 };
const facts: RiskFacts = {
  originProvinceCode: '320000',
  originCityCode: '320100',
  temperatureC: 36.5,
  symptoms: [],
  contactWithCases: false,
  keyAreaStays: [],
};
const past = (id: string, riskClass: 'key' | 'general', f: PastRegistration['facts'], fired: string[] = []): PastRegistration => ({
  registrationId: id,
  travellerId: `t-${id}`,
  registeredAt: '2020-02-12T02:00:00.000Z',
  riskClass,
  ruleSetVersion: '2020-02-10',
  firedRuleIds: fired,
  facts: f,
});

describe('a rule set replayed over past registrations', () => {
  it('given registrations of both classes, when a wider rule set is replayed, then it lists who becomes key and by which rules, and counts the rest', () => {
    const replay = new RuleReplay(wider, 10);
    replay.add(past('from-wenzhou', 'general', { ...facts, originProvinceCode: '330000', originCityCode: '330300' }));
    replay.add(past('warm', 'general', { ...facts, temperatureC: 37.1 }));
    replay.add(past('healthy', 'general', facts));
    replay.add(past('wuhan', 'key', { ...facts, keyAreaStays: ['420100'] }, ['R2']));
    replay.add(past('gone', 'key', 'erased', ['R1']));
    replay.add(past('old', 'general', 'not-kept'));
    const report = replay.report();
    expect(report).toMatchObject({
      ruleSetVersion: '2020-02-20',
      registrations: 6,
      replayed: 4,
      unchanged: 2,
      becomeKey: 2,
      becomeGeneral: 0,
      notReplayable: { erased: 1, notKept: 1 },
      changesListed: 2,
    });
    expect(report.changes[0]).toEqual({
      registrationId: 'from-wenzhou',
      travellerId: 't-from-wenzhou',
      registeredAt: '2020-02-12T02:00:00.000Z',
      change: 'becomes-key',
      classBefore: 'general',
      ruleSetVersionBefore: '2020-02-10',
      firedBefore: [],
      firedRules: [{ ruleId: 'R1', reason: 'came from a key area' }],
    });
    expect(report.changes[1].firedRules.map((r) => r.ruleId)).toEqual(['R4']);
  });

  it('given a narrower rule set, when replayed, then a key person becomes general with no rule firing', () => {
    const narrower: RuleSet = { ...current, version: 'no-stays', rules: current.rules.filter((r) => r.id !== 'R2') };
    const replay = new RuleReplay(narrower, 10);
    replay.add(past('wuhan', 'key', { ...facts, keyAreaStays: ['420100'] }, ['R2']));
    expect(replay.report()).toMatchObject({ becomeGeneral: 1, changes: [{ change: 'becomes-general', firedBefore: ['R2'], firedRules: [] }] });
  });

  it('given more changes than the limit, when replayed, then it lists up to the limit and counts them all', () => {
    const replay = new RuleReplay(wider, 1);
    for (let i = 0; i < 3; i++) replay.add(past(`warm-${i}`, 'general', { ...facts, temperatureC: 37.2 }));
    expect(replay.report()).toMatchObject({ becomeKey: 3, changesListed: 1 });
  });
});
