import { randomBytes } from 'node:crypto';
import type { RuleViolationError } from '@city/eventsourcing';
import { PgliteDatabase } from '@city/sql';
import { PersonalDataVault, type PersonalData } from './personal-data-vault';
import { open, seal, travellerIdOf, type MasterKey } from './privacy-keys';

/** The vault on PGlite: envelope encryption per person, master-key rotation without touching the sealed rows, crypto-shredding. */

const person: PersonalData = {
  name: '李四',
  documentKind: 'resident-id',
  documentNumber: '11010519491231002X',
  phone: '13900139000',
  address: 'Lane 5, Room 3',
};
const m1: MasterKey = { id: 'm1', key: randomBytes(32) };
const m2: MasterKey = { id: 'm2', key: randomBytes(32) };
const secret = 'x'.repeat(32);

let db: PgliteDatabase;
beforeAll(async () => {
  db = new PgliteDatabase();
}, 120_000);
afterAll(() => db?.close());

it('derives the same traveller id from the same document, another with another secret', () => {
  const id = travellerIdOf(secret, 'resident-id', '11010519491231002x');
  expect(id).toMatch(/^[0-9a-f]{32}$/);
  expect(travellerIdOf(secret, 'resident-id', ' 11010519491231002X ')).toBe(id);
  expect(travellerIdOf('y'.repeat(32), 'resident-id', '11010519491231002X')).not.toBe(id);
  expect(travellerIdOf(secret, 'passport', '11010519491231002X')).not.toBe(id);
});

it('refuses to open a sealed text with another key or another binding', () => {
  const sealed = seal(m1.key, Buffer.from('secret'), 'a');
  expect(open(m1.key, sealed, 'a').toString()).toBe('secret');
  expect(() => open(m2.key, sealed, 'a')).toThrow();
  expect(() => open(m1.key, sealed, 'b')).toThrow();
});

it('stores sealed data, reads it back, rotates the master key without touching the rows, and erases by destroying the key', async () => {
  const t = travellerIdOf(secret, 'resident-id', person.documentNumber);
  const before = new PersonalDataVault(db, { travellerIdSecret: secret, masterKeys: [m1] });
  await before.store(t, 'reg-1', person);
  await before.store(t, 'reg-1', { ...person }); // the same registration again: stored once
  expect(await before.latest(t)).toEqual({ status: 'found', registrationId: 'reg-1', data: person });
  const rows = await before.sealedRowsOf(t);
  expect(rows).toHaveLength(1);
  expect(Buffer.from(rows[0], 'base64').toString('latin1')).not.toContain('13900139000');

  const rotating = new PersonalDataVault(db, { travellerIdSecret: secret, masterKeys: [m2, m1] });
  expect(await rotating.rotateMasterKey()).toBe(1);
  expect(await rotating.rotateMasterKey()).toBe(0);
  const after = new PersonalDataVault(db, { travellerIdSecret: secret, masterKeys: [m2] }); // m1 retired
  expect(await after.latest(t)).toMatchObject({ status: 'found', data: person });
  expect(await after.sealedRowsOf(t)).toEqual(rows); // the sealed rows were not re-encrypted

  await after.erase(t);
  expect(await after.latest(t)).toEqual({ status: 'erased' });
  expect(await after.sealedRowsOf(t)).toEqual(rows);
});

it('refuses a registration id sent again with another name, phone or address, or for another person, naming the fields only', async () => {
  const vault = new PersonalDataVault(db, { travellerIdSecret: secret, masterKeys: [m1] });
  // People of their own: the test below counts the rows of \`person\`.
  const me: PersonalData = { ...person, documentNumber: '310104198001010011' };
  const t = travellerIdOf(secret, 'resident-id', me.documentNumber);
  await vault.store(t, 'reg-reused', me);
  const refusal = (data: PersonalData, traveller = t) =>
    vault.store(traveller, 'reg-reused', data).then(
      () => 'stored',
      (error: RuleViolationError) => `${error.rule}: ${error.message}`,
    );
  expect(await refusal({ ...me, name: '王五', phone: '13700137000' })).toBe(
    'idempotency-key-reused: Registration reg-reused is already recorded with a different identity.name, phone: resend the same body to retry, or use a new id',
  );
  expect(await refusal({ ...me, address: 'Lane 6, Room 1' })).toMatch(/a different destination\.address:/);
  const other = { ...me, documentNumber: '110105194912310021' };
  expect(await refusal(other, travellerIdOf(secret, 'resident-id', other.documentNumber))).toMatch(/^idempotency-key-reused: .* a different identity:/);
  // Nothing of the refused bodies was stored; the first stays.
  expect(await vault.latest(t)).toEqual({ status: 'found', registrationId: 'reg-reused', data: me });
  expect(await vault.sealedRowsOf(travellerIdOf(secret, 'resident-id', other.documentNumber))).toEqual([]);
  expect(await refusal(me)).toBe('stored');
});

it('writes concurrent registrations together: new persons get a key each, returning ones keep theirs, retries store nothing', async () => {
  const vault = new PersonalDataVault(db, { travellerIdSecret: secret, masterKeys: [m1] });
  const returning = travellerIdOf(secret, 'passport', 'E0001');
  expect(await vault.store(returning, 'batch-r1', { ...person, documentKind: 'passport', documentNumber: 'E0001' })).toEqual({ keyCreated: true });
  const [keyBefore] = (await db.query<{ wrapped_key: string }>('SELECT wrapped_key FROM th_data_keys WHERE traveller_id = $1', [returning])).rows;

  const fresh = Array.from({ length: 5 }, (_, i) => travellerIdOf(secret, 'passport', `E1${i}`));
  const twice = travellerIdOf(secret, 'passport', 'E0002');
  // Issued in one turn of the event loop: one batch.
  const answers = await Promise.all([
    ...fresh.map((t, i) => vault.store(t, `batch-f${i}`, { ...person, name: `new ${i}` })),
    vault.store(returning, 'batch-r2', { ...person, name: 'returning again' }),
    vault.store(returning, 'batch-r1', { ...person, documentKind: 'passport', documentNumber: 'E0001' }), // a retry, the same body
    vault.store(twice, 'batch-t1', { ...person, name: 'first' }),
    vault.store(twice, 'batch-t2', { ...person, name: 'second' }),
  ]);
  expect(answers).toEqual([
    ...fresh.map(() => ({ keyCreated: true })),
    { keyCreated: false },
    { keyCreated: false },
    { keyCreated: true },
    { keyCreated: true },
  ]);

  for (const [i, t] of fresh.entries())
    expect(await vault.latest(t)).toMatchObject({ status: 'found', registrationId: `batch-f${i}`, data: { name: `new ${i}` } });
  expect(await vault.latest(returning)).toMatchObject({ status: 'found', registrationId: 'batch-r2', data: { name: 'returning again' } });
  expect(await vault.sealedRowsOf(returning)).toHaveLength(2); // the retry stored nothing
  // In one batch too, an id already recorded with other data is refused, and only that one.
  const [reused, alongside] = await Promise.allSettled([
    vault.store(returning, 'batch-r1', { ...person, name: 'someone else' }),
    vault.store(returning, 'batch-r4', { ...person, name: 'returning again' }),
  ]);
  expect(reused).toMatchObject({ status: 'rejected', reason: { rule: 'idempotency-key-reused' } });
  expect(alongside).toEqual({ status: 'fulfilled', value: { keyCreated: false } });
  expect(await vault.sealedRowsOf(returning)).toHaveLength(3);
  const [keyAfter] = (await db.query<{ wrapped_key: string }>('SELECT wrapped_key FROM th_data_keys WHERE traveller_id = $1', [returning])).rows;
  expect(keyAfter).toEqual(keyBefore);
  expect(await vault.sealedRowsOf(twice)).toHaveLength(2);
  expect(await vault.latest(twice)).toMatchObject({ status: 'found', registrationId: 'batch-t2', data: { name: 'second' } });

  // After erasure the person comes back with a new key; the old rows stay unreadable.
  await vault.erase(returning);
  expect(await vault.store(returning, 'batch-r3', { ...person, name: 'after erasure' })).toEqual({ keyCreated: true });
  expect(await vault.latest(returning)).toMatchObject({ status: 'found', registrationId: 'batch-r3', data: { name: 'after erasure' } });
});

it('fails only the registrations of a person whose master key is no longer configured, not the others written with them', async () => {
  const t = travellerIdOf(secret, 'passport', 'E0003');
  await new PersonalDataVault(db, { travellerIdSecret: secret, masterKeys: [m1] }).store(t, 'retired-1', person);
  const vault = new PersonalDataVault(db, { travellerIdSecret: secret, masterKeys: [m2] }); // m1 removed without rotating
  const other = travellerIdOf(secret, 'passport', 'E0004');
  const [refused, stored] = await Promise.allSettled([vault.store(t, 'retired-2', person), vault.store(other, 'other-1', person)]);
  expect(refused).toMatchObject({ status: 'rejected', reason: { message: expect.stringContaining('Master key m1 is not configured') } });
  expect(stored).toEqual({ status: 'fulfilled', value: { keyCreated: true } });
  expect(await vault.latest(other)).toMatchObject({ status: 'found', registrationId: 'other-1' });
});
