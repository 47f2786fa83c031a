import { createTestDatabase, type TestDatabase } from '@city/testing';
import { ConsumerOffsets } from './consumer-offsets';

/** One offsets table for every consumer, on real PostgreSQL, and the move from the two tables before it. */
describe('ConsumerOffsets', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase('consumer_offsets');
  });
  afterEach(() => database.drop());

  const rows = async () =>
    (
      await database.db.query<{ consumer: string; topic: string; partition: number; next_offset: string }>(
        'SELECT consumer, topic, partition, next_offset::text AS next_offset FROM consumer_offsets ORDER BY consumer, partition',
      )
    ).rows;

  it('copies the offsets of the former tables in, drops those tables, and does it once', async () => {
    const { db } = database;
    await db.query(
      'CREATE TABLE projection_offsets (projection text, topic text, partition integer, next_offset bigint, updated_at timestamptz DEFAULT now())',
    );
    await db.query(
      "INSERT INTO projection_offsets (projection, topic, partition, next_offset) VALUES ('coverage', 'city.canvass', 0, 42), ('coverage', 'city.canvass', 1, 7)",
    );
    await db.query(
      'CREATE TABLE event_consumer_offsets (consumer text, topic text, partition integer, next_offset bigint, updated_at timestamptz DEFAULT now())',
    );
    await db.query("INSERT INTO event_consumer_offsets (consumer, topic, partition, next_offset) VALUES ('relief-view', 'city.reopening', 0, 3)");

    await Promise.all([ConsumerOffsets.migrate(db), ConsumerOffsets.migrate(db)]); // two replicas starting together
    await ConsumerOffsets.migrate(db);

    expect(await rows()).toEqual([
      { consumer: 'coverage', topic: 'city.canvass', partition: 0, next_offset: '42' },
      { consumer: 'coverage', topic: 'city.canvass', partition: 1, next_offset: '7' },
      { consumer: 'relief-view', topic: 'city.reopening', partition: 0, next_offset: '3' },
    ]);
    const { rows: left } = await db.query("SELECT tablename FROM pg_tables WHERE tablename IN ('projection_offsets', 'event_consumer_offsets')");
    expect(left).toEqual([]);
    expect(await new ConsumerOffsets('coverage').load(db, 'city.canvass')).toEqual(
      new Map([
        [0, '42'],
        [1, '7'],
      ]),
    );
  });

  it('resumes several consumers at the smallest common offset, leaving out a partition one of them never read', async () => {
    const { db } = database;
    await ConsumerOffsets.migrate(db);
    await db.transaction(async (tx) => {
      await new ConsumerOffsets('a').save(tx, 't', 0, '10');
      await new ConsumerOffsets('b').save(tx, 't', 0, '4');
      await new ConsumerOffsets('a').save(tx, 't', 1, '9');
    });
    expect(await ConsumerOffsets.loadCommon(db, 't', ['a', 'b'])).toEqual(new Map([[0, '4']]));
    expect(await db.transaction((tx) => new ConsumerOffsets('a').lock(tx, 't', 1))).toBe(9n);
    expect(await db.transaction((tx) => new ConsumerOffsets('b').lock(tx, 't', 1))).toBeUndefined();
  });
});
