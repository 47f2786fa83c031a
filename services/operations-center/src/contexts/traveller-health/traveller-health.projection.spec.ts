import { TRAVELLER_HEALTH_EVENT_SAMPLES as S, type TravellerHealthEvent, type TravellerHealthEventType } from '@city/contracts';
import type { RecordedEvent } from '@city/eventsourcing';
import type { FigureCell } from '../../read-model/figures/figure-store';
import { emptyTravellerHealthFigures, foldTravellerHealthFigures } from './traveller-health-figures';
import { travellerHealthDeltas } from './traveller-health.projection';

let version = 0;
const recorded = <T extends TravellerHealthEventType>(type: T, data: Partial<(typeof S)[T]> = {}): RecordedEvent<TravellerHealthEvent> =>
  ({
    type,
    data: { ...S[type], ...data },
    eventId: `e-${version}`,
    schemaVersion: 1,
    metadata: { correlationId: 'c', causationId: 'c' },
    streamId: 'traveller-health.traveller-1',
    streamVersion: version,
    globalPosition: BigInt(version++),
    recordedAt: '2020-02-12T09:30:00.000Z',
  }) as RecordedEvent<TravellerHealthEvent>;

/** Sums the deltas per figure, dim and district, as the figure storage does for one day. */
const cellsOf = (events: RecordedEvent<TravellerHealthEvent>[], district = '310105'): FigureCell[] => {
  const sums = new Map<string, number>();
  for (const d of events.flatMap(travellerHealthDeltas).filter((d) => d.districtCode === district)) {
    const key = `${d.figure}|${d.dim}`;
    sums.set(key, (sums.get(key) ?? 0) + d.value);
  }
  return [...sums].map(([key, value]) => {
    const [figure, dim] = key.split('|');
    return { area: district, figure, dim, total: value, today: value };
  });
};

describe('traveller-health figures', () => {
  it('counts a registration by checkpoint kind and province of origin, at the destination', () => {
    const f = foldTravellerHealthFigures(cellsOf([recorded('TravellerRegistered'), recorded('TravellerRegistered', { checkpointKind: 'road' })]));
    expect(f.registrations).toEqual({
      today: 2,
      total: 2,
      byCheckpointKind: { railway: { today: 1, total: 1 }, road: { today: 1, total: 1 } },
      byOrigin: { '420000': { today: 2, total: 2 } },
    });
  });

  it('keeps people under observation and open flags as levels, and check-in compliance of today', () => {
    const f = foldTravellerHealthFigures(
      cellsOf([
        recorded('KeyPersonPushed'),
        recorded('HomeObservationStarted'),
        recorded('CheckInRecorded'),
        recorded('CheckInRecorded'),
        recorded('CheckInRecorded'),
        recorded('CheckInMissed'),
        recorded('ObservationFlagRaised'),
        recorded('ObservationFlagRaised', { kind: 'fever' }),
        recorded('ObservationFlagResolved'),
        recorded('FeverClinicReferred'),
        recorded('ReferralOutcomeRecorded'),
      ]),
    );
    expect(f).toMatchObject({ keyPersonsPushed: { today: 1 }, underObservation: 1, complianceToday: 0.75, openFlags: 1, referrals: { total: 1 } });
    expect(f.flagsRaised.byKind).toEqual({ 'missed-check-in': { today: 1, total: 1 }, fever: { today: 1, total: 1 } });
    expect(f.referralOutcomes).toEqual({ cleared: { today: 1, total: 1 } });
  });

  it('moves a transferred person to the new district and counts a release', () => {
    const events = [recorded('HomeObservationStarted'), recorded('HomeObservationTransferred')];
    expect(foldTravellerHealthFigures(cellsOf(events, '310105')).underObservation).toBe(0);
    expect(foldTravellerHealthFigures(cellsOf(events, '310107')).underObservation).toBe(1);
    const released = foldTravellerHealthFigures(cellsOf([recorded('HomeObservationStarted'), recorded('HomeObservationReleased')]));
    expect(released).toMatchObject({ underObservation: 0, releases: { today: 1, total: 1 } });
  });

  it('changes no figure on erasure or a checkpoint', () => {
    expect(travellerHealthDeltas(recorded('PersonalDataErased'))).toEqual([]);
    expect(foldTravellerHealthFigures(cellsOf([recorded('CheckpointRegistered')]))).toEqual(emptyTravellerHealthFigures());
  });
});
