import { ENTERPRISE_REOPENING_EVENT_SAMPLES, ENTERPRISE_REOPENING_EVENT_TYPES, type EnterpriseReopeningEvent } from '@city/contracts';
import type { RecordedEvent } from '@city/eventsourcing';
import type { FigureCell } from '../../read-model/figures/figure-store';
import { foldEnterpriseReopeningFigures } from './enterprise-reopening-figures';
import { enterpriseReopeningDeltas } from './enterprise-reopening.projection';

const recorded = (event: EnterpriseReopeningEvent, streamVersion: number): RecordedEvent<EnterpriseReopeningEvent> => ({
  ...event,
  eventId: `e-${streamVersion}`,
  schemaVersion: 1,
  metadata: { correlationId: 'c', causationId: 'c' },
  streamId: 'enterprise-reopening.enterprise-91310105MA1FL3KX0K',
  streamVersion,
  globalPosition: BigInt(streamVersion),
  recordedAt: '2020-02-12T09:30:00.000Z',
});
const samples = ENTERPRISE_REOPENING_EVENT_SAMPLES;

/** Sums the deltas per figure, as the figure storage does for one area and day. */
const cellsOf = (events: RecordedEvent<EnterpriseReopeningEvent>[]): FigureCell[] => {
  const sums = new Map<string, number>();
  for (const d of events.flatMap(enterpriseReopeningDeltas)) sums.set(d.figure, (sums.get(d.figure) ?? 0) + d.value);
  return [...sums].map(([figure, value]) => ({ area: '310105', figure, dim: '', total: value, today: value }));
};

describe('enterprise-reopening figures', () => {
  it('counts a registered enterprise, not yet reopened', () => {
    expect(foldEnterpriseReopeningFigures(cellsOf([recorded(samples.EnterpriseRegistered, 0)]))).toEqual({ registered: 1, reopened: 0, reopeningRate: 0 });
  });

  it('counts a reopened enterprise in the reopening rate', () => {
    const events = [recorded(samples.EnterpriseRegistered, 0), recorded(samples.EnterpriseReopened, 1)];
    expect(foldEnterpriseReopeningFigures(cellsOf(events))).toEqual({ registered: 1, reopened: 1, reopeningRate: 1 });
  });

  it('handles every event type of the topic', () => {
    for (const type of ENTERPRISE_REOPENING_EVENT_TYPES) expect(() => enterpriseReopeningDeltas(recorded(samples[type], 0))).not.toThrow();
  });
});
