import type { RecordedEvent } from '@city/eventsourcing';
import { PgliteDatabase } from '@city/sql';
import { liveAsOf, pastAsOf } from '../../read-model/as-of';
import { OperationsReadModel } from '../../read-model/operations-read-model';
import {
  doorstepServiceDelivered,
  gateShiftEnded,
  subdistrictRegistered,
  unitRef,
  unitRegistered,
  unitRetired,
  unitSizeUpdated,
  visitRecorded,
} from '../../testing/canvass-events';
import { contextProjections } from '../../testing/context-projections';
import { CanvassProjection } from './canvass.projection';
import type { CanvassDayFigures, CanvassFigures } from './canvass-figures';
import { canvassReadModel } from './canvass-read-model';

const CHANGNING = '310105';
const PUTUO = '310107';
const at = (iso: string) => pastAsOf(new Date(iso));

describe('CanvassProjection on PGlite', () => {
  let db: PgliteDatabase;
  const projections = contextProjections(canvassReadModel());
  const readModel = () => new OperationsReadModel(db, [canvassReadModel()]);
  const apply = (events: readonly RecordedEvent[]) => projections.apply(db, events);
  const district = async (code: string, iso: string): Promise<CanvassFigures> =>
    (await readModel().districtOverview(code, at(iso))).figures.canvass as CanvassFigures;

  // PGlite compiling its WASM build and the migrations: seconds when idle, a minute or more on a loaded machine.
  beforeAll(async () => {
    db = new PgliteDatabase();
    await projections.migrate(db);
  }, 180_000);
  afterAll(() => db.close());
  beforeEach(() => projections.reset(db));

  const office = unitRef('office-a', 'office-building', CHANGNING);
  const block = unitRef('block-b', 'street-block', CHANGNING);
  const compound = unitRef('compound-c', 'residential-building-group', CHANGNING, `${CHANGNING}002`);
  const putuoMarket = unitRef('market-p', 'market', PUTUO);

  async function registerAll(): Promise<void> {
    await apply([
      subdistrictRegistered(CHANGNING, `${CHANGNING}001`, 'Jiangsu Road Subdistrict', '2026-02-01T09:00:00+08:00'),
      unitRegistered(office, '2026-02-01T09:00:00+08:00', 0),
      unitRegistered(block, '2026-02-01T09:00:00+08:00', 40),
      unitRegistered(compound, '2026-02-01T09:00:00+08:00', 300),
      unitRegistered(putuoMarket, '2026-02-01T09:00:00+08:00', 0),
    ]);
  }

  it('computes the canvass figures of a district after a sequence of events', async () => {
    await registerAll();
    await apply([
      visitRecorded(office, '2026-02-10T09:00:00+08:00', {
        tenantsOpened: 1,
        householdsCanvassed: 0,
        returnedFromOutside: 3,
        inHomeObservation: 2,
        problems: [{ category: 'prevention-supplies' }, { category: 'gathering' }, { category: 'gathering' }],
      }),
      visitRecorded(compound, '2026-02-10T10:00:00+08:00', { householdsCanvassed: 120, returnedFromOutside: 5, inHomeObservation: 4 }),
      gateShiftEnded(compound, '2026-02-10T06:00:00+08:00', '2026-02-10T10:30:00+08:00', { checked: 300, registered: 12 }),
      doorstepServiceDelivered(compound, '2026-02-10T11:00:00+08:00', 'groceries', 3),
      doorstepServiceDelivered(compound, '2026-02-10T11:30:00+08:00', 'medicine', 1),
      visitRecorded(putuoMarket, '2026-02-10T09:00:00+08:00', { returnedFromOutside: 7 }),
    ]);

    const f = await district(CHANGNING, '2026-02-10T12:00:00+08:00');
    expect(f.units.active).toBe(3);
    expect(f.units.canvassedToday).toBe(2);
    expect(f.units.coverageToday).toBeCloseTo(2 / 3, 4);
    expect(f.units.byKind['office-building']).toEqual({ active: 1, canvassedToday: 1, coverageToday: 1 });
    expect(f.units.byKind['street-block']).toEqual({ active: 1, canvassedToday: 0, coverageToday: 0 });
    expect(f.units.byKind.market).toEqual({ active: 0, canvassedToday: 0, coverageToday: null });
    expect(f.householdsRegistered).toBe(340);
    expect(f.householdsCanvassed).toEqual({ today: 120, total: 120 });
    expect(f.returnedFromOutside).toEqual({ today: 8, total: 8 });
    expect(f.inHomeObservation).toBe(6);
    expect(f.tenantsOpened.today).toBe(1);
    expect(f.problems.today).toBe(3);
    expect(f.problems.byCategory.gathering).toEqual({ today: 2, total: 2 });
    expect(f.problems.byCategory['prevention-supplies']).toEqual({ today: 1, total: 1 });
    expect(f.gateDuty.hours).toEqual({ today: 4.5, total: 4.5 });
    expect(f.gateDuty.peopleChecked.today).toBe(300);
    expect(f.gateDuty.peopleRegistered.today).toBe(12);
    expect(f.gateDuty.shifts.today).toBe(1);
    expect(f.doorstepServices.today).toBe(2);
    expect(f.doorstepServices.households.today).toBe(4);
    expect(f.doorstepServices.byKind.medicine).toEqual({ today: 1, total: 1 });

    const city = await readModel().cityOverview(at('2026-02-10T12:00:00+08:00'));
    const cityCanvass = city.city.canvass as CanvassFigures;
    expect(cityCanvass.units.active).toBe(4);
    expect(cityCanvass.units.canvassedToday).toBe(3);
    expect(cityCanvass.returnedFromOutside.today).toBe(15);
    expect(city.districts).toHaveLength(16);
    expect((city.districts.find((d) => d.district.code === PUTUO)?.figures.canvass as CanvassFigures).units.coverageToday).toBe(1);
    expect((city.districts.find((d) => d.district.code === '310101')?.figures.canvass as CanvassFigures).units.active).toBe(0);

    const subs = await readModel().subdistricts(CHANGNING, at('2026-02-10T12:00:00+08:00'));
    expect(subs.subdistricts.map((s) => [s.code, s.name])).toEqual([
      [`${CHANGNING}001`, 'Jiangsu Road Subdistrict'],
      [`${CHANGNING}002`, null],
    ]);
    expect((subs.subdistricts[1].figures.canvass as CanvassFigures).householdsCanvassed.today).toBe(120);

    // The same rows for the whole city, each with its district: Changning's two and Putuo's one.
    const all = await readModel().citySubdistricts(at('2026-02-10T12:00:00+08:00'));
    expect(all.subdistricts.map((s) => [s.district, s.code])).toEqual([
      [CHANGNING, `${CHANGNING}001`],
      [CHANGNING, `${CHANGNING}002`],
      [PUTUO, `${PUTUO}001`],
    ]);
    expect((all.subdistricts[2].figures.canvass as CanvassFigures).units.coverageToday).toBe(1);
    expect(all.subdistricts[1].figures).toEqual(subs.subdistricts[1].figures);
  });

  it('counts a second visit to the same unit on the same day once for coverage', async () => {
    await registerAll();
    await apply([visitRecorded(office, '2026-02-10T09:00:00+08:00'), visitRecorded(office, '2026-02-10T16:00:00+08:00')]);
    const f = await district(CHANGNING, '2026-02-10T20:00:00+08:00');
    expect(f.units.canvassedToday).toBe(1);
    expect(f.visits.today).toBe(2);
    expect(f.units.byKind['office-building'].coverageToday).toBe(1);
  });

  it('puts the day boundary at midnight in Asia/Shanghai, not UTC', async () => {
    await registerAll();
    // 23:30 and 00:30 in Shanghai are 15:30Z and 16:30Z: the same UTC day, two city days.
    await apply([visitRecorded(office, '2026-02-10T23:30:00+08:00'), visitRecorded(office, '2026-02-11T00:30:00+08:00')]);

    const lateEvening = await district(CHANGNING, '2026-02-10T23:59:00+08:00');
    expect(lateEvening.units.canvassedToday).toBe(1);
    expect(lateEvening.visits).toEqual({ today: 1, total: 1 });

    const afterMidnight = await district(CHANGNING, '2026-02-11T01:00:00+08:00');
    expect(afterMidnight.units.canvassedToday).toBe(1);
    expect(afterMidnight.visits).toEqual({ today: 1, total: 2 });

    const series = await readModel().series(new Date('2026-02-11T12:00:00+08:00'), 2, CHANGNING);
    expect(series.days.map((d) => [d.day, (d.figures.canvass as { unitsCanvassed: number; visits: number }).visits])).toEqual([
      ['2026-02-10', 1],
      ['2026-02-11', 1],
    ]);
  });

  it('removes retired units from the active units and their coverage', async () => {
    await registerAll();
    await apply([visitRecorded(office, '2026-02-10T09:00:00+08:00'), unitRetired(block, '2026-02-10T10:00:00+08:00')]);
    const before = await district(CHANGNING, '2026-02-10T09:30:00+08:00');
    expect(before.units.active).toBe(3);
    expect(before.units.coverageToday).toBeCloseTo(1 / 3, 4);
    const after = await district(CHANGNING, '2026-02-10T11:00:00+08:00');
    expect(after.units.active).toBe(2);
    expect(after.units.byKind['street-block'].active).toBe(0);
    expect(after.units.coverageToday).toBe(0.5);
    expect(after.householdsRegistered).toBe(300);
  });

  it('answers as of a past instant from history, not from the current figures', async () => {
    await registerAll();
    await apply([
      visitRecorded(office, '2026-02-09T10:00:00+08:00', { returnedFromOutside: 1 }),
      visitRecorded(office, '2026-02-10T09:00:00+08:00', { returnedFromOutside: 2 }),
      visitRecorded(block, '2026-02-10T15:00:00+08:00', { returnedFromOutside: 4, householdsCanvassed: 40 }),
      unitSizeUpdated(compound, '2026-02-10T16:00:00+08:00', 320),
      gateShiftEnded(compound, '2026-02-10T08:00:00+08:00', '2026-02-10T14:00:00+08:00'),
    ]);

    const morning = await district(CHANGNING, '2026-02-10T12:00:00+08:00');
    expect(morning.returnedFromOutside).toEqual({ today: 2, total: 3 });
    expect(morning.units.canvassedToday).toBe(1);
    expect(morning.householdsCanvassed.today).toBe(0);
    expect(morning.gateDuty.hours.today).toBe(0); // the shift had not ended yet
    expect(morning.householdsRegistered).toBe(340);

    const evening = await district(CHANGNING, '2026-02-10T18:00:00+08:00');
    expect(evening.returnedFromOutside).toEqual({ today: 6, total: 7 });
    expect(evening.units.canvassedToday).toBe(2);
    expect(evening.gateDuty.hours.today).toBe(6);
    expect(evening.householdsRegistered).toBe(360);

    const dayBefore = await district(CHANGNING, '2026-02-09T23:00:00+08:00');
    expect(dayBefore.returnedFromOutside).toEqual({ today: 1, total: 1 });

    const beforeAnything = await district(CHANGNING, '2026-01-31T12:00:00+08:00');
    expect(beforeAnything.units.active).toBe(0);
  });

  it('keeps people in home observation as the latest count per unit, even when a visit arrives late', async () => {
    await registerAll();
    await apply([visitRecorded(compound, '2026-02-10T09:00:00+08:00', { inHomeObservation: 5 })]);
    await apply([visitRecorded(compound, '2026-02-10T17:00:00+08:00', { inHomeObservation: 2 })]);
    // Recorded last, happened in between: it corrects the picture from 13:00 to 17:00 only.
    await apply([visitRecorded(compound, '2026-02-10T13:00:00+08:00', { inHomeObservation: 8 })]);

    expect((await district(CHANGNING, '2026-02-10T10:00:00+08:00')).inHomeObservation).toBe(5);
    expect((await district(CHANGNING, '2026-02-10T14:00:00+08:00')).inHomeObservation).toBe(8);
    expect((await district(CHANGNING, '2026-02-10T18:00:00+08:00')).inHomeObservation).toBe(2);
  });

  it('gives the same people in home observation when the visits of a unit, a late one included, arrive in one batch', async () => {
    await registerAll();
    await apply([
      visitRecorded(compound, '2026-02-10T09:00:00+08:00', { inHomeObservation: 5 }),
      visitRecorded(office, '2026-02-10T09:30:00+08:00', { inHomeObservation: 1 }),
      visitRecorded(compound, '2026-02-10T17:00:00+08:00', { inHomeObservation: 2 }),
      visitRecorded(compound, '2026-02-10T13:00:00+08:00', { inHomeObservation: 8 }),
    ]);

    expect((await district(CHANGNING, '2026-02-10T10:00:00+08:00')).inHomeObservation).toBe(5 + 1);
    expect((await district(CHANGNING, '2026-02-10T14:00:00+08:00')).inHomeObservation).toBe(8 + 1);
    expect((await district(CHANGNING, '2026-02-10T18:00:00+08:00')).inHomeObservation).toBe(2 + 1);
  });

  it('counts a unit canvassed from its earliest visit of the day, also when that visit arrives late', async () => {
    await registerAll();
    await apply([visitRecorded(office, '2026-02-10T15:00:00+08:00')]);
    await apply([visitRecorded(office, '2026-02-10T09:00:00+08:00')]);
    expect((await district(CHANGNING, '2026-02-10T08:00:00+08:00')).units.canvassedToday).toBe(0);
    expect((await district(CHANGNING, '2026-02-10T10:00:00+08:00')).units.canvassedToday).toBe(1);
    expect((await district(CHANGNING, '2026-02-10T16:00:00+08:00')).units.canvassedToday).toBe(1);
    expect((await district(CHANGNING, '2026-02-10T16:00:00+08:00')).units.byKind['office-building'].canvassedToday).toBe(1);
  });

  it('answers as of an instant late in a month (totals minus what followed) as early in it', async () => {
    await registerAll();
    await apply([
      visitRecorded(office, '2026-01-31T10:00:00+08:00', { returnedFromOutside: 1 }),
      visitRecorded(office, '2026-02-18T10:00:00+08:00', { returnedFromOutside: 2 }),
      visitRecorded(block, '2026-02-20T09:00:00+08:00', { returnedFromOutside: 4 }),
      visitRecorded(office, '2026-02-20T15:00:00+08:00', { returnedFromOutside: 8 }),
      visitRecorded(block, '2026-02-27T09:00:00+08:00', { returnedFromOutside: 16 }),
      visitRecorded(block, '2026-03-02T09:00:00+08:00', { returnedFromOutside: 32 }),
    ]);
    expect((await district(CHANGNING, '2026-02-10T12:00:00+08:00')).returnedFromOutside).toEqual({ today: 0, total: 1 });
    expect((await district(CHANGNING, '2026-02-20T12:00:00+08:00')).returnedFromOutside).toEqual({ today: 4, total: 7 });
    expect((await district(CHANGNING, '2026-02-20T12:00:00+08:00')).units.canvassedToday).toBe(1);
    expect((await district(CHANGNING, '2026-02-28T23:59:59+08:00')).returnedFromOutside).toEqual({ today: 0, total: 31 });
    expect((await district(CHANGNING, '2026-03-02T09:00:00+08:00')).returnedFromOutside).toEqual({ today: 32, total: 63 });
  });

  it('keeps the subdistrict names (reference data) when the canvass figures are rebuilt', async () => {
    await registerAll();
    await db.transaction((tx) => new CanvassProjection().reset(tx));
    const subs = await readModel().subdistricts(CHANGNING, at('2026-02-10T12:00:00+08:00'));
    expect(subs.subdistricts.map((s) => [s.code, s.name])).toEqual([[`${CHANGNING}001`, 'Jiangsu Road Subdistrict']]);
    expect((subs.subdistricts[0].figures.canvass as CanvassFigures).units.active).toBe(0);
  });

  it('applies the same events twice without counting them twice', async () => {
    await registerAll();
    const batch = [
      visitRecorded(office, '2026-02-10T09:00:00+08:00', { returnedFromOutside: 3, inHomeObservation: 1 }),
      gateShiftEnded(compound, '2026-02-10T06:00:00+08:00', '2026-02-10T08:00:00+08:00'),
      doorstepServiceDelivered(compound, '2026-02-10T11:00:00+08:00'),
      unitRetired(block, '2026-02-10T12:00:00+08:00'),
    ];
    await apply(batch);
    const once = await district(CHANGNING, '2026-02-10T20:00:00+08:00');
    await apply(batch);
    await apply([batch[0], batch[0]]);
    const twice = await district(CHANGNING, '2026-02-10T20:00:00+08:00');
    expect(twice).toEqual(once);
    expect(twice.returnedFromOutside.total).toBe(3);
    expect(twice.units.active).toBe(2);
  });

  it('answers live figures that equal the figures as of now', async () => {
    await registerAll();
    const now = new Date();
    const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();
    await apply([
      visitRecorded(office, minutesAgo(3), { returnedFromOutside: 2, householdsCanvassed: 5 }),
      visitRecorded(compound, minutesAgo(2), { inHomeObservation: 3 }),
      gateShiftEnded(compound, minutesAgo(90), minutesAgo(1)),
    ]);
    const live = await readModel().cityOverview(liveAsOf(now));
    const past = await readModel().cityOverview(pastAsOf(now));
    expect(live.live).toBe(true);
    expect(past.city).toEqual(live.city);
    expect(past.districts.map((d) => d.figures)).toEqual(live.districts.map((d) => d.figures));
    expect((live.city.canvass as CanvassFigures).returnedFromOutside.total).toBe(2);
  });

  it('builds a daily series with coverage per day', async () => {
    await registerAll();
    await apply([
      visitRecorded(office, '2026-02-09T10:00:00+08:00'),
      visitRecorded(office, '2026-02-10T10:00:00+08:00'),
      visitRecorded(block, '2026-02-10T11:00:00+08:00', { householdsCanvassed: 40 }),
      unitRetired(compound, '2026-02-10T12:00:00+08:00'),
    ]);
    const series = await readModel().series(new Date('2026-02-10T20:00:00+08:00'), 3, CHANGNING);
    const points = series.days.map((d) => ({ day: d.day, ...(d.figures.canvass as CanvassDayFigures) }));
    expect(points.map((p) => [p.day, p.activeUnits, p.unitsCanvassed, p.coverage, p.householdsCanvassed])).toEqual([
      ['2026-02-08', 3, 0, 0, 0],
      ['2026-02-09', 3, 1, 0.3333, 0],
      ['2026-02-10', 2, 2, 1, 40],
    ]);

    // The same days for each subdistrict alone: 001 holds the office and the block, 002 the compound.
    const jiangsu = await readModel().series(new Date('2026-02-10T20:00:00+08:00'), 3, CHANGNING, `${CHANGNING}001`);
    expect(jiangsu.subdistrict).toEqual({ code: `${CHANGNING}001`, name: 'Jiangsu Road Subdistrict' });
    expect(
      jiangsu.days.map((d) => d.figures.canvass as CanvassDayFigures).map((p) => [p.activeUnits, p.unitsCanvassed, p.coverage, p.householdsCanvassed]),
    ).toEqual([
      [2, 0, 0, 0],
      [2, 1, 0.5, 0],
      [2, 2, 1, 40],
    ]);
    const second = await readModel().series(new Date('2026-02-10T20:00:00+08:00'), 3, CHANGNING, `${CHANGNING}002`);
    expect(second.subdistrict).toEqual({ code: `${CHANGNING}002`, name: null });
    expect(second.days.map((d) => (d.figures.canvass as CanvassDayFigures).activeUnits)).toEqual([1, 1, 0]);
  });
});
