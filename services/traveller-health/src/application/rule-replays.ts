import { TRAVELLER_HEALTH_STREAM_PREFIX, type TravellerRegistered } from '@city/contracts';
import { randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError, type EventStore } from '@city/eventsourcing';
import type { SqlDatabase } from '@city/sql';
import { travellerHealthAccess } from '../domain/access-policy';
import type { Actor } from '../domain/command-context';
import { RuleReplay, type ReplayReport } from '../domain/rule-replay';
import { ruleSetProblems, type RuleSet } from '../domain/risk-rules';
import type { PersonalDataVault } from './personal-data-vault';

const TRAVELLER_STREAMS = `${TRAVELLER_HEALTH_STREAM_PREFIX}traveller-`;

/** Where a replay stands; `interrupted`: the replica running it stopped (ask again). */
export type ReplayStatus = 'running' | 'done' | 'failed' | 'interrupted';

export interface ReplayJob {
  readonly replayId: string;
  readonly ruleSetVersion: string;
  readonly status: ReplayStatus;
  readonly requestedBy: string;
  readonly requestedAt: string;
  /** Registrations read so far (all of them once done). */
  readonly registrationsRead: number;
  readonly finishedAt?: string;
  /** Once done. */
  readonly report?: ReplayReport;
  /** Once failed: what went wrong. */
  readonly error?: string;
}

interface ReplayRow {
  replay_id: string;
  rule_set_version: string;
  status: ReplayStatus;
  requested_by: string;
  requested_at: Date;
  registrations_read: number;
  stale: boolean;
  finished_at: Date | null;
  report: ReplayReport | null;
  error: string | null;
}

/** A running replay whose replica has not written for this long has stopped with it (a page takes well under a second). */
const STALE_AFTER_MS = 120_000;

/**
 * Dry runs of a rule set over the whole history, as background jobs: the city's history holds
 * millions of registrations, more than one request can wait for. Asking validates the rule set
 * and answers at once with a replay id; the replica that was asked reads every registration
 * recorded (the `TravellerRegistered` events, with the class and rules of their day) and
 * classifies it again on the declaration sealed with it, page by page, writing its progress and
 * then its report to `th_rule_replays`, so that any replica answers where a replay stands.
 * Nothing of the history is appended or changed. A replay stopped by its replica's shutdown
 * says `interrupted` (it has no partial answer worth keeping) and is asked for again.
 */
export class RuleReplays {
  private migrated?: Promise<void>;
  private readonly running = new Set<Promise<void>>();
  private stopping = false;

  constructor(
    private readonly store: EventStore,
    private readonly vault: PersonalDataVault,
    private readonly db: SqlDatabase,
    private readonly known: ReadonlyMap<string, RuleSet>,
    private readonly options: { readonly clock?: () => Date; readonly pageSize?: number; readonly onError?: (error: Error) => void } = {},
  ) {}

  migrate(): Promise<void> {
    this.migrated ??= this.db
      .query(
        `CREATE TABLE IF NOT EXISTS th_rule_replays (
          replay_id uuid PRIMARY KEY,
          rule_set_version text NOT NULL,
          rule_set jsonb NOT NULL,
          change_limit integer NOT NULL,
          status text NOT NULL,
          requested_by text NOT NULL,
          requested_at timestamptz NOT NULL,
          registrations_read bigint NOT NULL DEFAULT 0,
          heartbeat_at timestamptz NOT NULL,
          finished_at timestamptz,
          report jsonb,
          error text
        )`,
      )
      .then(() => undefined);
    return this.migrated;
  }

  /**
   * Starts a replay of the rule set given (its `version` must be the one in the path), or without
   * one of the rule set of that version the service knows. The city's health department only.
   * Refusals (access, unknown version, an invalid rule set) come before anything starts.
   */
  async start(actor: Actor, version: string, submitted: unknown, changeLimit: number): Promise<ReplayJob> {
    travellerHealthAccess.assert('replayRules', actor);
    const ruleSet = this.ruleSetOf(version, submitted);
    await this.migrate();
    const replayId = randomUUID();
    const now = this.now();
    await this.db.query(
      `INSERT INTO th_rule_replays (replay_id, rule_set_version, rule_set, change_limit, status, requested_by, requested_at, heartbeat_at)
       VALUES ($1, $2, $3, $4, 'running', $5, $6, now())`,
      [replayId, version, JSON.stringify(ruleSet), changeLimit, actor.sub, now],
    );
    const run = this.run(replayId, ruleSet, changeLimit).finally(() => this.running.delete(run));
    this.running.add(run);
    return { replayId, ruleSetVersion: version, status: 'running', requestedBy: actor.sub, requestedAt: now.toISOString(), registrationsRead: 0 };
  }

  /** Where a replay stands; 404 for an id unknown under that version. */
  async get(actor: Actor, version: string, replayId: string): Promise<ReplayJob> {
    travellerHealthAccess.assert('replayRules', actor);
    await this.migrate();
    const { rows } = await this.db.query<ReplayRow>(
      `SELECT replay_id, rule_set_version, status, requested_by, requested_at, registrations_read::int AS registrations_read,
              heartbeat_at < now() - make_interval(secs => $3) AS stale, finished_at, report, error
         FROM th_rule_replays WHERE replay_id = $1 AND rule_set_version = $2`,
      [replayId, version, STALE_AFTER_MS / 1000],
    );
    const row = rows[0];
    if (!row) throw new NotFoundError(`No replay ${replayId} of rule set ${version}`);
    // The database's clock, not the service's (which tells the business time and may be set): heartbeats are real time.
    const stale = row.status === 'running' && row.stale;
    return {
      replayId: row.replay_id,
      ruleSetVersion: row.rule_set_version,
      status: stale ? 'interrupted' : row.status,
      requestedBy: row.requested_by,
      requestedAt: new Date(row.requested_at).toISOString(),
      registrationsRead: Number(row.registrations_read),
      ...(row.finished_at ? { finishedAt: new Date(row.finished_at).toISOString() } : {}),
      ...(row.report ? { report: row.report } : {}),
      ...(row.error ? { error: row.error } : {}),
    };
  }

  /** Stops the replays of this replica at their next page; each is recorded `interrupted`. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running]);
  }

  private async run(replayId: string, ruleSet: RuleSet, changeLimit: number): Promise<void> {
    try {
      const report = await this.replay(ruleSet, changeLimit, (read) =>
        this.db.query('UPDATE th_rule_replays SET registrations_read = $2, heartbeat_at = now() WHERE replay_id = $1', [replayId, read]),
      );
      const status: ReplayStatus = report ? 'done' : 'interrupted';
      await this.db.query(
        'UPDATE th_rule_replays SET status = $2, registrations_read = COALESCE($3, registrations_read), report = $4, finished_at = $5, heartbeat_at = now() WHERE replay_id = $1',
        [replayId, status, report?.registrations ?? null, report ? JSON.stringify(report) : null, this.now()],
      );
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.options.onError?.(new Error(`Rule replay ${replayId} failed: ${failure.message}`));
      await this.db
        .query("UPDATE th_rule_replays SET status = 'failed', error = $2, finished_at = $3 WHERE replay_id = $1", [replayId, failure.message, this.now()])
        .catch(() => undefined); // The database is what failed: the row goes stale and reads as interrupted.
    }
  }

  /** The replay itself, page by page; `undefined` when stopped before the end. */
  private async replay(ruleSet: RuleSet, changeLimit: number, progress: (read: number) => Promise<unknown>): Promise<ReplayReport | undefined> {
    const pageSize = this.options.pageSize ?? 1000;
    const replay = new RuleReplay(ruleSet, changeLimit);
    let after = 0n;
    let read = 0;
    for (;;) {
      if (this.stopping) return undefined;
      const events = await this.store.readAll({ after, limit: pageSize, streamPrefix: TRAVELLER_STREAMS });
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
      read += registrations.length;
      if (events.length < pageSize) break;
      await progress(read);
    }
    return replay.report();
  }

  private now(): Date {
    return (this.options.clock ?? (() => new Date()))();
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
