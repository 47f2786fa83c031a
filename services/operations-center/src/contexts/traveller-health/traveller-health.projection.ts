import { TRAVELLER_HEALTH_EVENT_TYPES, type TravellerHealthEvent } from '@city/contracts';
import type { RecordedEvent } from '@city/eventsourcing';
import { FigureProjection, unhandledEvent } from '../../read-model/figures/figure-projection';
import type { FigureDelta } from '../../read-model/figures/figure-store';
import { TravellerHealthFigure as F } from './traveller-health-figures';

/** The key of traveller-health in the figure tables and in every answer. */
export const TRAVELLER_HEALTH_CONTEXT = 'travellerHealth';

/** The traveller-health figures of the city and district read models, in the shared figure storage (read-model/figures/). */
export class TravellerHealthProjection extends FigureProjection<TravellerHealthEvent> {
  constructor() {
    super({
      name: 'ops-traveller-health',
      context: TRAVELLER_HEALTH_CONTEXT,
      handles: TRAVELLER_HEALTH_EVENT_TYPES,
      deltas: async (_tx, events) => events.map(travellerHealthDeltas),
    });
  }
}

interface Place {
  readonly districtCode: string;
  readonly subdistrictCode: string;
}

const delta = (place: Place, occurredAt: string, figure: string, value = 1, dim = ''): FigureDelta => ({
  districtCode: place.districtCode,
  subdistrictCode: place.subdistrictCode,
  occurredAt,
  figure,
  dim,
  value,
});

/** The figure deltas of one event (a registration counts where the traveller goes, by checkpoint kind and origin). */
export function travellerHealthDeltas(event: RecordedEvent<TravellerHealthEvent>): FigureDelta[] {
  const e = { type: event.type, data: event.data } as TravellerHealthEvent;
  switch (e.type) {
    case 'TravellerRegistered':
      return [
        delta(e.data, e.data.registeredAt, F.registrations, 1, e.data.checkpointKind),
        delta(e.data, e.data.registeredAt, F.registrationsByOrigin, 1, e.data.originProvinceCode),
      ];
    case 'KeyPersonPushed':
      return [delta(e.data, e.data.pushedAt, F.keyPersonsPushed)];
    case 'HomeObservationStarted':
      return [delta(e.data, e.data.startedAt, F.observationsStarted), delta(e.data, e.data.startedAt, F.underObservation)];
    case 'CheckInRecorded':
      return [delta(e.data, e.data.recordedAt, F.checkIns)];
    case 'CheckInMissed':
      return [delta(e.data, e.data.detectedAt, F.checkInsMissed)];
    case 'ObservationFlagRaised':
      return [delta(e.data, e.data.raisedAt, F.flagsRaised, 1, e.data.kind), delta(e.data, e.data.raisedAt, F.openFlags)];
    case 'ObservationFlagResolved':
      return [delta(e.data, e.data.resolvedAt, F.openFlags, -1)];
    case 'FeverClinicReferred':
      return [delta(e.data, e.data.referredAt, F.referrals)];
    case 'ReferralOutcomeRecorded':
      return [delta(e.data, e.data.recordedAt, F.referralOutcomes, 1, e.data.outcome)];
    case 'HomeObservationReleased':
      return [delta(e.data, e.data.releasedAt, F.releases), delta(e.data, e.data.releasedAt, F.underObservation, -1)];
    case 'HomeObservationTransferred': {
      const from = { districtCode: e.data.fromDistrictCode, subdistrictCode: e.data.fromSubdistrictCode };
      return [delta(from, e.data.transferredAt, F.underObservation, -1), delta(e.data, e.data.transferredAt, F.underObservation)];
    }
    case 'CheckpointRegistered': // reference data
    case 'CommitteeRegistered':
    case 'PersonalDataErased': // erasure changes no count
      return [];
    default:
      return unhandledEvent(e);
  }
}
