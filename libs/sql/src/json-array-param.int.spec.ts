import { arrayFromJsonParam } from './json-array-param';
import { PgDatabase } from './pg-database';
import { PgliteDatabase } from './pglite-database';

// A plain SELECT: the shared test database serves.
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe.each([
  ['PostgreSQL', () => new PgDatabase(DATABASE_URL)],
  ['PGlite', () => new PgliteDatabase()],
])('arrayFromJsonParam on %s', (_name, open) => {
  const db = open();
  afterAll(() => db.close());

  it('gives back the strings of a JSON array in order, quotes, backslashes and commas included', async () => {
    const texts = ['b', 'a "quoted", word', 'back\\slash', '', '{braces}', '中文'];
    const { rows } = await db.query<{ a: string[] }>(`SELECT ${arrayFromJsonParam('$1', 'text')} AS a`, [JSON.stringify(texts)]);
    expect(rows[0].a).toEqual(texts);
  });

  it('gives back the documents of a JSON array in order', async () => {
    const documents = [{ z: 1, a: [1, 2] }, { text: 'say "hi"' }, null, 3];
    const { rows } = await db.query<{ a: unknown[] }>(`SELECT to_json(${arrayFromJsonParam('$1', 'jsonb')}) AS a`, [JSON.stringify(documents)]);
    expect(rows[0].a).toEqual(documents);
  });
});
