import { arrayLiteral } from './array-literal';
import { PgDatabase } from './pg-database';
import { PgliteDatabase } from './pglite-database';

// A plain SELECT: the shared test database serves.
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe.each([
  ['PostgreSQL', () => new PgDatabase(DATABASE_URL)],
  ['PGlite', () => new PgliteDatabase()],
])('arrayLiteral on %s', (_name, open) => {
  const db = open();
  afterAll(() => db.close());

  it('gives back plain strings as they were, in order, commas, braces, spaces and the word NULL included', async () => {
    const texts = ['b', 'a, b', '{braces}', ' spaced ', '', 'NULL', '中文', 'traveller-3f2a'];
    const { rows } = await db.query<{ a: string[] }>('SELECT $1::text[] AS a', [arrayLiteral(texts)]);
    expect(rows[0].a).toEqual(texts);
  });

  it('gives back quotes, backslashes and nulls', async () => {
    const texts = ['say "hi"', 'back\\slash', null, '\\"', 'plain'];
    const { rows } = await db.query<{ a: (string | null)[] }>('SELECT $1::text[] AS a', [arrayLiteral(texts)]);
    expect(rows[0].a).toEqual(texts);
  });

  it('writes numbers, bigints and uuids for their array types, and an empty array', async () => {
    const { rows } = await db.query<{ n: number[]; b: string[]; u: string[]; e: string[] }>(
      'SELECT $1::integer[] AS n, $2::bigint[]::text[] AS b, $3::uuid[]::text[] AS u, $4::text[] AS e',
      [arrayLiteral([1, -2, 30]), arrayLiteral([9007199254740993n, null]), arrayLiteral(['0b7e0c9a-4f0d-4a39-8c3e-5d2f6a7b8c90']), arrayLiteral([])],
    );
    expect(rows[0]).toEqual({ n: [1, -2, 30], b: ['9007199254740993', null], u: ['0b7e0c9a-4f0d-4a39-8c3e-5d2f6a7b8c90'], e: [] });
  });
});
