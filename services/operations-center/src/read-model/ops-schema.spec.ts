import type { SqlExecutor } from '@city/sql';
import { migrateOpsSchema, once } from './ops-schema';

function countingDb(fail = 0): SqlExecutor & { statements: string[] } {
  const statements: string[] = [];
  let failures = fail;
  return {
    statements,
    query: async (sql: string) => {
      if (failures-- > 0) throw new Error('connection lost');
      statements.push(sql);
      return { rows: [], rowCount: 0 };
    },
  } as unknown as SqlExecutor & { statements: string[] };
}

describe('shared read-model DDL', () => {
  it('given the start-up and two projections asking, when they migrate, then the statements run once', async () => {
    const db = countingDb();
    await Promise.all([migrateOpsSchema(db), migrateOpsSchema(db), migrateOpsSchema(db)]);
    const first = db.statements.length;
    await migrateOpsSchema(db);
    expect(first).toBeGreaterThan(0);
    expect(db.statements).toHaveLength(first);
  });

  it('given another database handle, when it migrates, then it runs the statements itself', async () => {
    const [a, b] = [countingDb(), countingDb()];
    await migrateOpsSchema(a);
    await migrateOpsSchema(b);
    expect(b.statements).toEqual(a.statements);
  });

  it('given a failed run, when asked again, then it runs again', async () => {
    const db = countingDb(1);
    await expect(once(db, ['CREATE TABLE t (x int)'])).rejects.toThrow('connection lost');
    await once(db, ['CREATE TABLE t (x int)']);
    expect(db.statements).toEqual(['CREATE TABLE t (x int)']);
  });
});
