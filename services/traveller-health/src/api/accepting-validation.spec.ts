import { registration } from '../testing/registrations';
import { AcceptingValidationPipe, cityValidationPipe, compileAcceptance } from '@city/observability';
import { RegistrationBatchDto, RegistrationDto } from './dto/registration.dto';

/**
 * The acceptance walk against the platform's pipe, on many bodies: valid ones, and each field
 * of a valid one replaced by wrong types, lengths, patterns, calendar days, extra keys.
 * What the walk accepts, the pipe must accept with the same values; what the pipe accepts
 * here, the walk should accept too (else valid registrations would pay for the pipe).
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const pipe = cityValidationPipe();
/** A copy as the HTTP layer parses bodies (the pipe may change what it is given). */
const jsonClone = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));
const byPipe = async (value: unknown, metatype: new () => object): Promise<{ ok: true; value: unknown } | { ok: false; fields: unknown }> => {
  try {
    return { ok: true, value: await pipe.transform(jsonClone(value), { type: 'body', metatype }) };
  } catch (error) {
    return { ok: false, fields: (error as { fields?: unknown }).fields ?? String(error) };
  }
};

const base = JSON.parse(JSON.stringify(registration({ serial: 7 }))) as Record<string, Json>;

function setAt(body: Record<string, Json>, path: readonly string[], value: Json | undefined): Record<string, Json> {
  const copy = jsonClone(body);
  let node = copy as Record<string, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, Json>;
  if (value === undefined) delete node[path[path.length - 1]];
  else node[path[path.length - 1]] = value;
  return copy;
}

function leafPaths(node: Json, prefix: string[] = []): string[][] {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return [prefix];
  return [prefix, ...Object.entries(node).flatMap(([k, v]) => leafPaths(v, [...prefix, k]))].filter((p) => p.length > 0);
}

const emoji = '😀';
const WRONG: (Json | undefined)[] = [
  undefined,
  null,
  0,
  36.6,
  -1,
  true,
  false,
  '',
  ' ',
  '\t',
  'a\nb',
  'a\u0000b',
  'x',
  'x'.repeat(20),
  'x'.repeat(21),
  'x'.repeat(30),
  'x'.repeat(31),
  'x'.repeat(100),
  'x'.repeat(101),
  'x'.repeat(200),
  'x'.repeat(201),
  emoji.repeat(100),
  emoji.repeat(101),
  emoji.repeat(200),
  '310105',
  '999999',
  '310105002',
  '310105002003',
  '420000',
  '420100',
  '2020-02-12',
  '2020-02-30',
  '2020-2-12',
  '2020-02-12T00:00:00Z',
  'train',
  'plane',
  'passport',
  'fever',
  'cough',
  'bench-1',
  '-bad-id',
  [],
  [''],
  ['fever'],
  ['fever', 'fever'],
  ['fever', 'cough', 'shortness-of-breath', 'fatigue', 'sore-throat', 'diarrhoea', 'loss-of-smell'],
  ['fever', 'cough', 'shortness-of-breath', 'fatigue', 'sore-throat', 'diarrhoea', 'loss-of-smell', 'fever'],
  ['420100'],
  ['420100', 42],
  Array.from({ length: 20 }, () => '420100'),
  Array.from({ length: 21 }, () => '420100'),
  {},
  { name: 'x' },
  [{}],
  [[]],
];

function bodies(): unknown[] {
  const out: unknown[] = [base, null, [], 'text', 42, [base], {}];
  for (const path of leafPaths(base)) {
    for (const wrong of WRONG) out.push(setAt(base, path, wrong));
    // A key the DTO does not declare, next to the field.
    out.push(setAt(base, [...path.slice(0, -1), 'extra'], 1));
  }
  for (const key of ['__proto__', 'constructor', 'prototype']) {
    out.push(JSON.parse(JSON.stringify(base).replace('{', `{"${key}":{"x":1},`)));
    out.push(JSON.parse(JSON.stringify(base).replace('"identity":{', `"identity":{"${key}":1,`)));
  }
  out.push(setAt(base, ['trip', 'number'], undefined), setAt(base, ['trip', 'number'], null));
  return out;
}

describe('the acceptance walk of RegistrationDto', () => {
  const accepts = compileAcceptance(RegistrationDto);

  it('accepts a valid registration, and the pipe builds the same values', async () => {
    expect(accepts(base)).toBe(true);
    const piped = await byPipe(base, RegistrationDto);
    expect(piped.ok && JSON.parse(JSON.stringify(piped.value))).toEqual(base);
  });

  it('accepts only what the platform pipe accepts, with the same values, and all of it', async () => {
    let accepted = 0;
    let refused = 0;
    for (const body of bodies()) {
      const piped = await byPipe(body, RegistrationDto);
      const walked = accepts(jsonClone(body));
      if (walked) {
        expect({ body, piped: piped.ok }).toEqual({ body, piped: true });
        expect(JSON.parse(JSON.stringify((piped as { value: unknown }).value))).toEqual(body);
        accepted++;
      } else refused++;
      // Completeness: a body the pipe accepts does not pay for it.
      if (piped.ok) expect({ body, walked }).toEqual({ body, walked: true });
    }
    expect(accepted).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(500);
  });
});

describe('AcceptingValidationPipe', () => {
  it("answers the platform pipe's ValidationError, fields and all, for what the walk does not accept", async () => {
    const bodyPipe = new AcceptingValidationPipe(RegistrationDto);
    for (const body of bodies()) {
      const expected = await byPipe(body, RegistrationDto);
      let actual: Awaited<ReturnType<typeof byPipe>>;
      try {
        actual = { ok: true, value: await bodyPipe.transform(jsonClone(body), { type: 'body', metatype: Object }) };
      } catch (error) {
        actual = { ok: false, fields: (error as { fields?: unknown }).fields ?? String(error) };
      }
      if (expected.ok) expect(actual.ok).toBe(true);
      else expect(actual).toEqual(expected);
    }
  });

  it('checks a kiosk batch body as its DTO says (an array of at most 100)', async () => {
    const batch = compileAcceptance(RegistrationBatchDto);
    const cases: unknown[] = [
      { registrations: [] },
      { registrations: [base, { junk: true }] },
      { registrations: Array.from({ length: 100 }, () => ({})) },
      { registrations: Array.from({ length: 101 }, () => ({})) },
      { registrations: 'x' },
      { registrations: null },
      {},
      { registrations: [], extra: 1 },
      null,
      [],
    ];
    for (const body of cases) {
      const piped = await byPipe(body, RegistrationBatchDto);
      expect({ body, walked: batch(body) }).toEqual({ body, walked: piped.ok });
    }
  });
});
