import type { TravellerHealthEvent } from '@city/contracts';
import type { RecordedEvent } from '@city/eventsourcing';
import type { FigureCell } from '../../read-model/figures/figure-store';
import { foldTravellerHealthFigures } from './traveller-health-figures';
import { travellerHealthDeltas } from './traveller-health.projection';

const where = { districtCode: '310105', subdistrictCode: '310105002' };
const recorded = (event: TravellerHealthEvent, streamVersion: number): RecordedEvent<TravellerHealthEvent> => ({
  ...event,
  eventId: `e-${streamVersion}`,
  schemaVersion: 1,
  metadata: { correlationId: 'c', causationId: 'c' },
  streamId: 'traveller-health.case-1',
  streamVersion,
  globalPosition: BigInt(streamVersion),
  recordedAt: '2020-02-12T09:30:00.000Z',
});
const opened = recorded(
  { type: 'TravellerHealthCaseOpened', data: { ...where, caseId: '1', subject: 'First case', openedBy: 'staff-chen', openedAt: '2020-02-12T09:30:00+08:00' } },
  0,
);
const closed = recorded(
  { type: 'TravellerHealthCaseClosed', data: { ...where, caseId: '1', closedBy: 'staff-chen', closedAt: '2020-02-12T17:00:00+08:00' } },
  1,
);

/** Sums the deltas per figure, as the figure storage does for one area and day. */
const cellsOf = (events: RecordedEvent<TravellerHealthEvent>[]): FigureCell[] => {
  const sums = new Map<string, number>();
  for (const d of events.flatMap(travellerHealthDeltas)) sums.set(d.figure, (sums.get(d.figure) ?? 0) + d.value);
  return [...sums].map(([figure, value]) => ({ area: where.districtCode, figure, dim: '', total: value, today: value }));
};

describe('traveller-health figures', () => {
  it('counts an opened case as opened and open', () => {
    expect(foldTravellerHealthFigures(cellsOf([opened]))).toEqual({ openCases: 1, opened: { today: 1, total: 1 }, closed: { today: 0, total: 0 } });
  });

  it('counts a closed case as closed and no longer open', () => {
    expect(foldTravellerHealthFigures(cellsOf([opened, closed]))).toEqual({ openCases: 0, opened: { today: 1, total: 1 }, closed: { today: 1, total: 1 } });
  });
});
