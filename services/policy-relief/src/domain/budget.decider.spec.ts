import { RuleViolationError } from '@city/eventsourcing';
import { deciderSpecification } from '@city/eventsourcing/testing';
import { budgetDecider, Commitments, type BudgetEvent, type CommitBudget, type ReleaseBudget } from './budget.decider';

const spec = deciderSpecification(budgetDecider);
const NOW = '2020-02-14T15:20:00+08:00';
const BUDGET = 10_000_000; // ¥100,000.00

const commit = (applicationId: string, amountFen: number): CommitBudget => ({
  type: 'CommitBudget',
  data: { measureId: 'M14', applicationId, amountFen, budgetFen: BUDGET, now: NOW },
});
const release = (applicationId: string): ReleaseBudget => ({
  type: 'ReleaseBudget',
  data: { measureId: 'M14', applicationId, budgetFen: BUDGET, reason: 'withdrawn meanwhile', now: NOW },
});
const committed = (applicationId: string, amountFen: number, committedFen: number): BudgetEvent => ({
  type: 'ReliefBudgetCommitted',
  data: { measureId: 'M14', applicationId, amountFen, committedFen, budgetFen: BUDGET, committedAt: NOW },
});
const released = (applicationId: string, amountFen: number, committedFen: number): BudgetEvent => ({
  type: 'ReliefBudgetReleased',
  data: { measureId: 'M14', applicationId, amountFen, committedFen, budgetFen: BUDGET, reason: 'withdrawn meanwhile', releasedAt: NOW },
});

describe('relief budget ledger', () => {
  it('given an empty ledger, when an approval commits money, then it is committed', () =>
    spec
      .given([])
      .when(commit('a', 6_000_000))
      .then([committed('a', 6_000_000, 6_000_000)]));
  it('given a commitment, when the rest of the budget is committed exactly, then it is committed to the fen', () =>
    spec
      .given([committed('a', 6_000_000, 6_000_000)])
      .when(commit('b', 4_000_000))
      .then([committed('b', 4_000_000, BUDGET)]));
  it('given a commitment, when one fen more than what is left is asked, then refused naming budget-exceeded', () =>
    spec
      .given([committed('a', 6_000_000, 6_000_000)])
      .when(commit('b', 4_000_001))
      .thenThrows(RuleViolationError, 'budget-exceeded'));
  it('given a commitment, when the same approval commits again, then nothing happens', () =>
    spec
      .given([committed('a', 6_000_000, 6_000_000)])
      .when(commit('a', 6_000_000))
      .thenNothingHappens());
  it('given a commitment, when the same application commits another amount, then refused', () =>
    spec
      .given([committed('a', 6_000_000, 6_000_000)])
      .when(commit('a', 5_000_000))
      .thenThrows(RuleViolationError, 'already committed'));
  it('given a commitment, when it is released, then the money is back in the budget', () =>
    spec
      .given([committed('a', 6_000_000, 6_000_000)])
      .when(release('a'))
      .then([released('a', 6_000_000, 0)]));
  it('given a release, when it is released again, then nothing happens', () =>
    spec
      .given([committed('a', 6_000_000, 6_000_000), released('a', 6_000_000, 0)])
      .when(release('a'))
      .thenNothingHappens());
  it('given a release, when another approval commits, then the released money is available', () =>
    spec
      .given([committed('a', 6_000_000, 6_000_000), released('a', 6_000_000, 0)])
      .when(commit('b', BUDGET))
      .then([committed('b', BUDGET, BUDGET)]));
});

describe('commitments of a ledger', () => {
  it('stay as they were when a later map changes, across the flattening of the overlay', () => {
    let map = Commitments.empty();
    const snapshots: Commitments[] = [];
    for (let i = 0; i < 600; i++) {
      map = map.with(`a${i}`, i);
      if (i % 100 === 0) snapshots.push(map);
    }
    map = map.with('a5', null);
    expect(map.get('a5')).toBeUndefined();
    expect(map.get('a599')).toBe(599);
    snapshots.forEach((snapshot, k) => {
      expect(snapshot.get('a5')).toBe(k === 0 ? undefined : 5);
      expect(snapshot.get(`a${100 * k}`)).toBe(100 * k);
      expect(snapshot.get(`a${100 * k + 1}`)).toBeUndefined();
    });
  });
});
