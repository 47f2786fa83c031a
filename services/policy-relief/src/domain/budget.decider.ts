import { assertNever, RuleViolationError, type Decider } from '@city/eventsourcing';
import type { ReliefBudgetEvent } from '@city/contracts';
import { yuan } from './money';
import { Rule } from './rules';

/**
 * A measure's budget ledger (`policy-relief.budget-<measureId>`): every fen of
 * the budget committed to an approval, and every commitment given back.
 *
 * "The budget is never over-committed" spans streams (all the measure's
 * applications), and must hold across replicas. The mechanism is a
 * per-measure budget stream with optimistic concurrency: an approval first
 * commits its money here, and `commitBudget` refuses (rule `budget-exceeded`)
 * whatever the committed sum plus the new amount would take past the budget.
 * The append expects the version the decision was made on, so of two replicas
 * that decided on the same version only one appends; the other gets a version
 * conflict, reads the ledger again and decides anew on the sum that now holds.
 * Commitments on one measure are thus serialised by the event store itself,
 * with no lock held across a network call; within a replica they are batched
 * (application/budget-ledger.ts), so a burst on one measure costs one append
 * per batch, not per approval.
 *
 * Only then is the approval appended to the application's stream. Should that
 * fail (the enterprise withdrew meanwhile, or the process stops in between),
 * the commitment stays until it is released (`releaseBudget`) or the approval
 * is retried, which finds its commitment (same application, same amount) and
 * commits nothing twice. The gap can only leave money committed that no
 * approval uses yet, never approvals the budget does not cover.
 */

export type CommitBudget = {
  readonly type: 'CommitBudget';
  readonly data: {
    readonly measureId: string;
    readonly applicationId: string;
    readonly amountFen: number;
    readonly budgetFen: number;
    readonly now: string;
  };
};

export type ReleaseBudget = {
  readonly type: 'ReleaseBudget';
  readonly data: { readonly measureId: string; readonly applicationId: string; readonly budgetFen: number; readonly reason: string; readonly now: string };
};

export type BudgetCommand = CommitBudget | ReleaseBudget;
export type BudgetEvent = ReliefBudgetEvent;

/**
 * Amounts committed per application, immutable: `with` returns a new map and
 * leaves this one as it was. A measure's ledger holds thousands of
 * commitments, so a copy per event would make folding it quadratic; instead a
 * new map shares a flat base with its predecessors and keeps its latest
 * changes in a small overlay, flattened into a new base every so often
 * (amortised cost per event: a few entries, not the whole ledger).
 */
export class Commitments {
  private static readonly OVERLAY = 256;

  private constructor(
    private readonly base: ReadonlyMap<string, number>,
    /** Changes since `base`; `null` marks a release. */
    private readonly overlay: ReadonlyMap<string, number | null>,
  ) {}

  static empty(): Commitments {
    return new Commitments(new Map(), new Map());
  }

  get(applicationId: string): number | undefined {
    const changed = this.overlay.get(applicationId);
    if (changed !== undefined) return changed ?? undefined;
    return this.base.get(applicationId);
  }

  /** A map with the application's amount set (a number) or released (`null`). */
  with(applicationId: string, amountFen: number | null): Commitments {
    const overlay = new Map(this.overlay).set(applicationId, amountFen);
    if (overlay.size < Commitments.OVERLAY) return new Commitments(this.base, overlay);
    const base = new Map(this.base);
    for (const [id, amount] of overlay) {
      if (amount === null) base.delete(id);
      else base.set(id, amount);
    }
    return new Commitments(base, new Map());
  }
}

export interface BudgetState {
  readonly committedFen: number;
  /** Amount committed per application; an application released is no longer listed. */
  readonly commitments: Commitments;
}

export function initialState(): BudgetState {
  return { committedFen: 0, commitments: Commitments.empty() };
}

export function evolve(state: BudgetState, event: BudgetEvent): BudgetState {
  switch (event.type) {
    case 'ReliefBudgetCommitted':
      return { committedFen: event.data.committedFen, commitments: state.commitments.with(event.data.applicationId, event.data.amountFen) };
    case 'ReliefBudgetReleased':
      return { committedFen: event.data.committedFen, commitments: state.commitments.with(event.data.applicationId, null) };
    default:
      return assertNever(event, 'relief budget event');
  }
}

export function commitBudget(command: CommitBudget, state: BudgetState): BudgetEvent[] {
  const { measureId, applicationId, amountFen, budgetFen, now } = command.data;
  const earlier = state.commitments.get(applicationId);
  if (earlier !== undefined) {
    if (earlier === amountFen) return []; // the same approval, retried
    throw new RuleViolationError(Rule.budgetAlreadyCommitted, `${yuan(earlier)} of measure ${measureId} is already committed to application ${applicationId}`);
  }
  const remaining = budgetFen - state.committedFen;
  if (amountFen > remaining) {
    throw new RuleViolationError(
      Rule.budgetExceeded,
      `Measure ${measureId} has ${yuan(remaining)} of its ${yuan(budgetFen)} budget left; ${yuan(amountFen)} cannot be approved (rule ${Rule.budgetExceeded})`,
    );
  }
  const committedFen = state.committedFen + amountFen;
  return [{ type: 'ReliefBudgetCommitted', data: { measureId, applicationId, amountFen, committedFen, budgetFen, committedAt: now } }];
}

export function releaseBudget(command: ReleaseBudget, state: BudgetState): BudgetEvent[] {
  const { measureId, applicationId, budgetFen, reason, now } = command.data;
  const amountFen = state.commitments.get(applicationId);
  if (amountFen === undefined) return []; // nothing committed, or already released
  const committedFen = state.committedFen - amountFen;
  return [{ type: 'ReliefBudgetReleased', data: { measureId, applicationId, amountFen, committedFen, budgetFen, reason, releasedAt: now } }];
}

export function decide(command: BudgetCommand, state: BudgetState): BudgetEvent[] {
  switch (command.type) {
    case 'CommitBudget':
      return commitBudget(command, state);
    case 'ReleaseBudget':
      return releaseBudget(command, state);
    default:
      return assertNever(command, 'relief budget command');
  }
}

export const budgetDecider: Decider<BudgetCommand, BudgetEvent, BudgetState> = { decide, evolve, initialState };
