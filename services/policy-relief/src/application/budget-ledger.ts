import { randomUUID } from 'node:crypto';
import { policyReliefStreams, type ReliefMeasure } from '@city/contracts';
import { ConcurrencyError, foldEvents, NO_STREAM_VERSION, type EventMetadata, type EventStore, type NewEvent, type RecordedEvent } from '@city/eventsourcing';
import { budgetDecider, type BudgetCommand, type BudgetEvent, type BudgetState } from '../domain/budget.decider';

interface Pending {
  readonly command: BudgetCommand;
  readonly metadata: EventMetadata;
  resolve(appended: number): void;
  reject(error: unknown): void;
}

interface Known {
  readonly version: number;
  readonly state: BudgetState;
}

/** Commands of one measure decided together and appended in one go. */
const MAX_BATCH = 256;
/** Conflicts with other replicas retried before a batch gives up (each retry reads only what they appended). */
const MAX_CONFLICT_RETRIES = 50;

/**
 * Runs the budget decider (domain/budget.decider.ts) on each measure's budget
 * stream. The commands of one measure queue in this process and are decided
 * in batches: each command in turn on the state the previous ones left, so
 * the committed sum of a batch is checked fen by fen, and the accepted
 * commitments are appended in one append that expects the version the batch
 * was decided on. A conflict (another replica appended first) reads what it
 * appended, decides the whole batch again, and retries. The ledger's state
 * stays in memory per measure, and is brought up to date from the stream's
 * tail, never re-read from the start.
 */
export class BudgetLedger {
  private readonly queues = new Map<string, Pending[]>();
  private readonly draining = new Set<string>();
  private readonly known = new Map<string, Known>();

  constructor(private readonly store: EventStore) {}

  /** Commits `amountFen` of the measure's budget to the application; a RuleViolationError (`budget-exceeded`) when it is not there. */
  commit(measure: ReliefMeasure, applicationId: string, amountFen: number, now: string, metadata: EventMetadata): Promise<number> {
    const { measureId, budgetFen } = measure;
    return this.enqueue(measureId, { type: 'CommitBudget', data: { measureId, applicationId, amountFen, budgetFen, now } }, metadata);
  }

  /** Gives the application's commitment back to the budget (nothing when there is none). */
  release(measure: ReliefMeasure, applicationId: string, reason: string, now: string, metadata: EventMetadata): Promise<number> {
    const { measureId, budgetFen } = measure;
    return this.enqueue(measureId, { type: 'ReleaseBudget', data: { measureId, applicationId, budgetFen, reason, now } }, metadata);
  }

  /** The measure's ledger as the store has it now. */
  async stateOf(measureId: string): Promise<BudgetState> {
    return (await this.refresh(policyReliefStreams.budget(measureId))).state;
  }

  private enqueue(measureId: string, command: BudgetCommand, metadata: EventMetadata): Promise<number> {
    const streamId = policyReliefStreams.budget(measureId);
    return new Promise<number>((resolve, reject) => {
      const queue = this.queues.get(streamId) ?? [];
      queue.push({ command, metadata, resolve, reject });
      this.queues.set(streamId, queue);
      if (!this.draining.has(streamId)) void this.drain(streamId);
    });
  }

  private async drain(streamId: string): Promise<void> {
    this.draining.add(streamId);
    try {
      for (;;) {
        const queue = this.queues.get(streamId) ?? [];
        if (queue.length === 0) break;
        const batch = queue.splice(0, MAX_BATCH);
        try {
          await this.decideBatch(streamId, batch);
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.draining.delete(streamId);
      this.queues.delete(streamId);
    }
  }

  private async decideBatch(streamId: string, batch: readonly Pending[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const { version, state } = attempt === 0 ? (this.known.get(streamId) ?? (await this.refresh(streamId))) : await this.refresh(streamId);
      let next = state;
      const events: NewEvent<BudgetEvent>[] = [];
      const outcomes: ({ ok: true; appended: number } | { ok: false; error: unknown })[] = [];
      for (const p of batch) {
        try {
          const decided = budgetDecider.decide(p.command, next);
          next = foldEvents(budgetDecider, decided, next);
          for (const event of decided) events.push({ eventId: randomUUID(), type: event.type, schemaVersion: 1, data: event.data, metadata: p.metadata });
          outcomes.push({ ok: true, appended: decided.length });
        } catch (error) {
          outcomes.push({ ok: false, error });
        }
      }
      if (events.length > 0) {
        try {
          const result = await this.store.appendToStream(streamId, events, version === NO_STREAM_VERSION ? 'no_stream' : version);
          this.known.set(streamId, { version: result.nextExpectedVersion, state: next });
        } catch (error) {
          // A conflict: the known state is right up to its version, and the retry reads only what came after it.
          if (error instanceof ConcurrencyError && attempt < MAX_CONFLICT_RETRIES) continue;
          this.known.delete(streamId);
          throw error;
        }
      } else if (attempt === 0 && outcomes.some((o) => !o.ok)) {
        // A refusal must not rest on a copy another replica may have moved on from: read the tail and decide again.
        await this.refresh(streamId);
        if (this.known.get(streamId)?.version !== version) continue;
      }
      batch.forEach((p, i) => {
        const outcome = outcomes[i];
        if (outcome.ok) p.resolve(outcome.appended);
        else p.reject(outcome.error);
      });
      return;
    }
  }

  /** Brings the known state of the stream up to date, reading only the events after the version known. */
  private async refresh(streamId: string): Promise<Known> {
    const known = this.known.get(streamId) ?? { version: NO_STREAM_VERSION, state: budgetDecider.initialState() };
    const tail = (await this.store.readStream(streamId, { fromVersion: known.version + 1 })) as RecordedEvent<BudgetEvent>[];
    if (tail.length === 0) {
      this.known.set(streamId, known);
      return known;
    }
    const state = foldEvents(
      budgetDecider,
      tail.map((e) => ({ type: e.type, data: e.data }) as BudgetEvent),
      known.state,
    );
    const fresh = { version: tail[tail.length - 1].streamVersion, state };
    this.known.set(streamId, fresh);
    return fresh;
  }
}
