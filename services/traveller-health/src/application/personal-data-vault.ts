import { GroupCommitQueue, type Queued } from '@city/event-store-postgres';
import { differingFields, idempotencyKeyReused } from '@city/eventsourcing';
import { arrayFromJsonParam, arrayLiteral, type SqlDatabase } from '@city/sql';
import type { DocumentKind } from '../domain/identity';
import type { Symptom } from '../domain/risk-rules';
import { newDataKey, open, seal, type MasterKey, type PrivacyKeys } from './privacy-keys';

/** What a traveller tells about themselves that identifies them: never on the bus, never in clear at rest. */
export interface PersonalData {
  readonly name: string;
  readonly documentKind: DocumentKind;
  readonly documentNumber: string;
  readonly phone: string;
  /** Street address of the destination in the city. */
  readonly address: string;
  /**
   * The health declaration of the registration, kept sealed with the rest so that a new rule set
   * can be replayed over it (a dry run) and that erasure takes it too; absent in rows written before it was kept.
   */
  readonly declaration?: SealedDeclaration;
}

/** What a traveller declared at the checkpoint, as the risk rules read it (origin codes are in the event). */
export interface SealedDeclaration {
  readonly temperatureC: number;
  readonly symptoms: readonly Symptom[];
  readonly contactWithCases: boolean;
  readonly keyAreaStays: readonly string[];
}

/** Personal data in the API's terms (`RegistrationInput`), to name what a resent registration changed. */
const personalTerms = (d: PersonalData) => ({
  identity: { name: d.name, documentKind: d.documentKind, documentNumber: d.documentNumber },
  phone: d.phone,
  destination: { address: d.address },
});

/** What storing a registration's personal data learned: whether this call created the person's data key (their first registration, or the first since an erasure). */
export interface StoredPersonalData {
  readonly keyCreated: boolean;
}

interface StoreRequest {
  readonly travellerId: string;
  readonly registrationId: string;
  readonly data: PersonalData;
}

/** The personal data of a traveller's latest registration, or why there is none. */
export type PersonalDataLookup =
  { readonly status: 'found'; readonly data: PersonalData; readonly registrationId: string } | { readonly status: 'erased' | 'none' };

/**
 * Personal data of travellers, encrypted per person, stored only by this service.
 *
 * Where: in tables of its own (`th_personal_data`, one sealed row per registration), not in
 * the events. The events go to Kafka and to every consumer; keeping personal data out of them
 * means no ciphertext of it ever leaves the service either, and no consumer has to know about
 * keys. Each row is AES-256-GCM under the person's data key (`th_data_keys`), itself wrapped
 * by a master key from configuration.
 *
 * Speed: concurrent `store` calls are written together (as the event store's group commit):
 * one statement creates the data keys of the batch's new persons and stores their sealed rows;
 * a second one, only when the batch has returning persons, stores theirs under their keys.
 *
 * Erasure destroys the person's data key: every copy of the ciphertext,
 * in backups of these tables as much as in the live ones, becomes unreadable, while the events
 * (which never held personal data) and every count built from them stay as they were.
 */
export class PersonalDataVault {
  private readonly current: MasterKey;
  private readonly byId: ReadonlyMap<string, MasterKey>;
  private migrated?: Promise<void>;
  private readonly writes: GroupCommitQueue<StoreRequest, StoredPersonalData>;

  constructor(
    private readonly db: SqlDatabase,
    keys: PrivacyKeys,
  ) {
    this.current = keys.masterKeys[0];
    this.byId = new Map(keys.masterKeys.map((k) => [k.id, k]));
    this.writes = new GroupCommitQueue((batch) => this.storeBatch(batch), { maxBatchWeight: 500, weight: () => 1 });
  }

  migrate(): Promise<void> {
    this.migrated ??= (async () => {
      await this.db.query(`CREATE TABLE IF NOT EXISTS th_data_keys (
        traveller_id text PRIMARY KEY,
        master_key_id text NOT NULL,
        wrapped_key text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
      await this.db.query(`CREATE TABLE IF NOT EXISTS th_personal_data (
        registration_id text PRIMARY KEY,
        traveller_id text NOT NULL,
        sealed text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
      await this.db.query('CREATE INDEX IF NOT EXISTS th_personal_data_traveller ON th_personal_data (traveller_id, recorded_at)');
    })();
    return this.migrated;
  }

  /**
   * Seals and stores the personal data of a registration, creating the person's data key on
   * their first registration. Idempotent by registration id (a kiosk sending it again stores
   * nothing); the id sent again for another person, or with another name, phone or address, is
   * refused (409 `idempotency-key-reused`, naming the fields, never their values) rather than
   * dropping the new data.
   */
  async store(travellerId: string, registrationId: string, data: PersonalData): Promise<StoredPersonalData> {
    await this.migrate();
    return this.writes.submit({ travellerId, registrationId, data });
  }

  private openOrUndefined(key: Buffer, sealed: string, context: string): PersonalData | undefined {
    try {
      return JSON.parse(open(key, sealed, context).toString('utf8')) as PersonalData;
    } catch {
      return undefined;
    }
  }

  /** The personal data of the traveller's latest registration. */
  async latest(travellerId: string): Promise<PersonalDataLookup> {
    await this.migrate();
    const key = await this.dataKeyOf(travellerId);
    if (!key) return { status: (await this.hasRows(travellerId)) ? 'erased' : 'none' };
    const { rows } = await this.db.query<{ registration_id: string; sealed: string }>(
      'SELECT registration_id, sealed FROM th_personal_data WHERE traveller_id = $1 ORDER BY recorded_at DESC, registration_id DESC LIMIT 1',
      [travellerId],
    );
    if (rows.length === 0) return { status: 'none' };
    const { registration_id: registrationId, sealed } = rows[0];
    return { status: 'found', registrationId, data: JSON.parse(open(key, sealed, `${travellerId}/${registrationId}`).toString('utf8')) as PersonalData };
  }

  /**
   * The sealed declarations of registrations, for a dry-run replay of the risk rules: opened
   * here, used for the replay and dropped; `erased` where the person's data key is destroyed,
   * `not-kept` where the row predates kept declarations (or there is no row).
   */
  async declarationsOf(registrationIds: readonly string[]): Promise<Map<string, SealedDeclaration | 'erased' | 'not-kept'>> {
    await this.migrate();
    const found = new Map<string, SealedDeclaration | 'erased' | 'not-kept'>(registrationIds.map((id) => [id, 'not-kept']));
    if (registrationIds.length === 0) return found;
    const { rows } = await this.db.query<{
      registration_id: string;
      traveller_id: string;
      sealed: string;
      master_key_id: string | null;
      wrapped_key: string | null;
    }>(
      `SELECT p.registration_id, p.traveller_id, p.sealed, k.master_key_id, k.wrapped_key
         FROM th_personal_data p LEFT JOIN th_data_keys k ON k.traveller_id = p.traveller_id
        WHERE p.registration_id IN (${registrationIds.map((_, i) => `$${i + 1}`).join(', ')})`,
      [...registrationIds],
    );
    const keys = new Map<string, Buffer>();
    for (const r of rows) {
      if (r.master_key_id === null || r.wrapped_key === null) {
        found.set(r.registration_id, 'erased');
        continue;
      }
      let key = keys.get(r.traveller_id);
      if (!key) keys.set(r.traveller_id, (key = this.unwrap(r.traveller_id, r.master_key_id, r.wrapped_key)));
      const data = JSON.parse(open(key, r.sealed, `${r.traveller_id}/${r.registration_id}`).toString('utf8')) as PersonalData;
      found.set(r.registration_id, data.declaration ?? 'not-kept');
    }
    return found;
  }

  /**
   * Crypto-shredding: destroys the person's data key. The sealed rows stay as they are, as
   * their copies in backups do, and can no longer be opened by anyone.
   */
  async erase(travellerId: string): Promise<void> {
    await this.migrate();
    await this.db.query('DELETE FROM th_data_keys WHERE traveller_id = $1', [travellerId]);
  }

  /**
   * Erasure by the clock: destroys the data key unless the vault holds a registration the
   * caller did not know of (`knownRegistrationIds`, from the traveller's stream) stored in the
   * last 15 minutes, i.e. a registration in flight whose data must stay readable; answers
   * false then (the next sweep decides again). Older unknown rows are registrations that never
   * reached the stream and do not hold erasure up.
   */
  async eraseUnlessNewer(travellerId: string, knownRegistrationIds: readonly string[]): Promise<boolean> {
    await this.migrate();
    const { rows } = await this.db.query<{ blocked: boolean }>(
      `WITH newer AS (
         SELECT 1 FROM th_personal_data
          WHERE traveller_id = $1 AND NOT (registration_id = ANY($2::text[])) AND recorded_at > now() - interval '15 minutes' LIMIT 1
       ), gone AS (
         DELETE FROM th_data_keys WHERE traveller_id = $1 AND NOT EXISTS (SELECT 1 FROM newer) RETURNING 1
       )
       SELECT EXISTS (SELECT 1 FROM newer) AS blocked`,
      [travellerId, knownRegistrationIds],
    );
    return !rows[0]?.blocked;
  }

  /** The sealed rows of a traveller as stored (what a backup holds); for audits and tests. */
  async sealedRowsOf(travellerId: string): Promise<string[]> {
    await this.migrate();
    const { rows } = await this.db.query<{ sealed: string }>('SELECT sealed FROM th_personal_data WHERE traveller_id = $1', [travellerId]);
    return rows.map((r) => r.sealed);
  }

  /** Re-wraps every data key not wrapped by the current master key with it; answers how many. Events and sealed rows are untouched. */
  async rotateMasterKey(batchSize = 500): Promise<number> {
    await this.migrate();
    let rewrapped = 0;
    for (;;) {
      const done = await this.db.transaction(async (tx) => {
        const { rows } = await tx.query<{ traveller_id: string; master_key_id: string; wrapped_key: string }>(
          'SELECT traveller_id, master_key_id, wrapped_key FROM th_data_keys WHERE master_key_id <> $1 LIMIT $2 FOR UPDATE SKIP LOCKED',
          [this.current.id, batchSize],
        );
        for (const row of rows) {
          const key = this.unwrap(row.traveller_id, row.master_key_id, row.wrapped_key);
          await tx.query('UPDATE th_data_keys SET master_key_id = $2, wrapped_key = $3 WHERE traveller_id = $1', [
            row.traveller_id,
            this.current.id,
            seal(this.current.key, key, row.traveller_id),
          ]);
        }
        return rows.length;
      });
      rewrapped += done;
      if (done < batchSize) return rewrapped;
    }
  }

  /** Writes one batch of `store` calls and settles each; a failure of the database fails the batch's callers. */
  private async storeBatch(batch: Queued<StoreRequest, StoredPersonalData>[]): Promise<void> {
    let pending = batch;
    try {
      // A person whose key another writer is creating at this moment is found neither created nor
      // stored by the statement's snapshot: the next round sees the key committed.
      for (let round = 0; pending.length > 0; round++) {
        if (round === 3) throw new Error(`No data key for travellers ${pending.map((p) => p.request.travellerId).join(', ')}`);
        pending = await this.storeRound(pending);
      }
    } catch (error) {
      for (const entry of pending) entry.reject(error);
    }
  }

  /**
   * One round trip for the new persons of the batch: a fresh data key for each (wrapped by the
   * current master key) is inserted unless the person has one, and their rows, sealed under that
   * fresh key, are stored only where it was inserted. The statement answers the existing keys of
   * the others, whose rows are then sealed under those keys and stored in a second statement.
   * Answers the entries not settled (their key was being created by another writer).
   */
  private async storeRound(batch: Queued<StoreRequest, StoredPersonalData>[]): Promise<Queued<StoreRequest, StoredPersonalData>[]> {
    const freshKeys = new Map<string, Buffer>();
    for (const { request } of batch) if (!freshKeys.has(request.travellerId)) freshKeys.set(request.travellerId, newDataKey());
    const travellers = [...freshKeys.keys()];
    const sealedUnder = (key: Buffer, r: StoreRequest) => seal(key, Buffer.from(JSON.stringify(r.data)), `${r.travellerId}/${r.registrationId}`);
    const { rows } = await this.db.query<{ kind: 'created' | 'stored' | 'existing'; id: string; master_key_id: string | null; wrapped_key: string | null }>(
      `WITH created AS (
         INSERT INTO th_data_keys (traveller_id, master_key_id, wrapped_key)
         SELECT traveller_id, $2, wrapped_key FROM unnest($1::text[], ${arrayFromJsonParam('$3', 'text')}) AS k(traveller_id, wrapped_key)
         ON CONFLICT (traveller_id) DO NOTHING
         RETURNING traveller_id),
       stored AS (
         INSERT INTO th_personal_data (registration_id, traveller_id, sealed, recorded_at)
         SELECT r.registration_id, r.traveller_id, r.sealed, clock_timestamp()
           FROM unnest($4::text[], $5::text[], ${arrayFromJsonParam('$6', 'text')}) AS r(registration_id, traveller_id, sealed)
          WHERE r.traveller_id IN (SELECT traveller_id FROM created)
         ON CONFLICT (registration_id) DO NOTHING
         RETURNING registration_id)
       SELECT 'created' AS kind, traveller_id AS id, NULL AS master_key_id, NULL AS wrapped_key FROM created
       UNION ALL
       SELECT 'stored', registration_id, NULL, NULL FROM stored
       UNION ALL
       SELECT 'existing', traveller_id, master_key_id, wrapped_key FROM th_data_keys
        WHERE traveller_id = ANY($1::text[]) AND traveller_id NOT IN (SELECT traveller_id FROM created)`,
      [
        arrayLiteral(travellers),
        this.current.id,
        JSON.stringify(travellers.map((t) => seal(this.current.key, freshKeys.get(t) as Buffer, t))),
        arrayLiteral(batch.map((e) => e.request.registrationId)),
        arrayLiteral(batch.map((e) => e.request.travellerId)),
        JSON.stringify(batch.map((e) => sealedUnder(freshKeys.get(e.request.travellerId) as Buffer, e.request))),
      ],
    );
    const created = new Set<string>();
    const stored = new Set<string>();
    const existing = new Map<string, Buffer>();
    // A key that cannot be unwrapped (its master key no longer configured) fails that person's registrations only.
    const unreadable = new Map<string, unknown>();
    for (const row of rows) {
      if (row.kind === 'created') created.add(row.id);
      else if (row.kind === 'stored') stored.add(row.id);
      else {
        try {
          existing.set(row.id, this.unwrap(row.id, String(row.master_key_id), String(row.wrapped_key)));
        } catch (error) {
          unreadable.set(row.id, error);
        }
      }
    }
    const returning = batch.filter((e) => existing.has(e.request.travellerId));
    if (returning.length > 0) {
      const { rows: inserted } = await this.db.query<{ registration_id: string }>(
        `INSERT INTO th_personal_data (registration_id, traveller_id, sealed, recorded_at)
         SELECT registration_id, traveller_id, sealed, clock_timestamp()
           FROM unnest($1::text[], $2::text[], ${arrayFromJsonParam('$3', 'text')}) AS r(registration_id, traveller_id, sealed)
         ON CONFLICT (registration_id) DO NOTHING
         RETURNING registration_id`,
        [
          arrayLiteral(returning.map((e) => e.request.registrationId)),
          arrayLiteral(returning.map((e) => e.request.travellerId)),
          JSON.stringify(returning.map((e) => sealedUnder(existing.get(e.request.travellerId) as Buffer, e.request))),
        ],
      );
      for (const r of inserted) stored.add(r.registration_id);
    }
    // A registration id already recorded (a retry, or reused): the same person with the same data is a retry, anything else refused.
    const firstOf = new Map<string, Queued<StoreRequest, StoredPersonalData>>();
    for (const entry of batch) if (!firstOf.has(entry.request.registrationId)) firstOf.set(entry.request.registrationId, entry);
    const keyOf = (t: string) => existing.get(t) ?? (created.has(t) ? freshKeys.get(t) : undefined);
    const resent = batch.filter((e) => keyOf(e.request.travellerId) && !(stored.has(e.request.registrationId) && firstOf.get(e.request.registrationId) === e));
    const refusals = new Map<Queued<StoreRequest, StoredPersonalData>, unknown>();
    if (resent.length > 0) {
      const { rows: earlier } = await this.db.query<{ registration_id: string; traveller_id: string; sealed: string }>(
        'SELECT registration_id, traveller_id, sealed FROM th_personal_data WHERE registration_id = ANY($1::text[])',
        [resent.map((e) => e.request.registrationId)],
      );
      const byId = new Map(earlier.map((r) => [r.registration_id, r]));
      for (const entry of resent) {
        const { travellerId, registrationId, data } = entry.request;
        const row = byId.get(registrationId);
        if (!row) continue;
        if (row.traveller_id !== travellerId) {
          refusals.set(entry, idempotencyKeyReused('Registration', registrationId, ['identity']));
          continue;
        }
        const recorded = this.openOrUndefined(keyOf(travellerId) as Buffer, row.sealed, `${travellerId}/${registrationId}`);
        // Unreadable after an erasure (the person's key is a new one): nothing left to compare with.
        if (recorded === undefined) continue;
        const differing = differingFields(personalTerms(recorded), personalTerms(data));
        if (differing.length > 0) refusals.set(entry, idempotencyKeyReused('Registration', registrationId, differing));
      }
    }
    const unsettled: Queued<StoreRequest, StoredPersonalData>[] = [];
    for (const entry of batch) {
      if (refusals.has(entry)) entry.reject(refusals.get(entry));
      else if (created.has(entry.request.travellerId)) entry.resolve({ keyCreated: true });
      else if (existing.has(entry.request.travellerId)) entry.resolve({ keyCreated: false });
      else if (unreadable.has(entry.request.travellerId)) entry.reject(unreadable.get(entry.request.travellerId));
      else unsettled.push(entry);
    }
    return unsettled;
  }

  private async hasRows(travellerId: string): Promise<boolean> {
    const { rows } = await this.db.query('SELECT 1 FROM th_personal_data WHERE traveller_id = $1 LIMIT 1', [travellerId]);
    return rows.length > 0;
  }

  private async dataKeyOf(travellerId: string): Promise<Buffer | undefined> {
    const { rows } = await this.db.query<{ master_key_id: string; wrapped_key: string }>(
      'SELECT master_key_id, wrapped_key FROM th_data_keys WHERE traveller_id = $1',
      [travellerId],
    );
    return rows[0] ? this.unwrap(travellerId, rows[0].master_key_id, rows[0].wrapped_key) : undefined;
  }

  private unwrap(travellerId: string, masterKeyId: string, wrapped: string): Buffer {
    const master = this.byId.get(masterKeyId);
    if (!master) throw new Error(`Master key ${masterKeyId} is not configured (PII_MASTER_KEYS): rotate before removing a key`);
    return open(master.key, wrapped, travellerId);
  }
}
