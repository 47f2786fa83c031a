import { ForbiddenError, RuleViolationError } from '@city/eventsourcing';
import { deciderSpecification } from '@city/eventsourcing/testing';
import { TRAVELLER_HEALTH_EVENT_SAMPLES as S } from '@city/contracts';
import { checkpointRegistryDecider, type RegisterCheckpoint } from './checkpoint-registry.decider';
import type { Actor } from './command-context';

const spec = deciderSpecification(checkpointRegistryDecider);
const city: Actor = { sub: 'th-city-0001', role: 'department', department: 'traveller-health' };
const staff: Actor = { sub: 'staff-chen', role: 'district-staff', district: '310112' };
const { checkpointId, name, kind, districtCode, registeredAt } = S.CheckpointRegistered;
const register = (actor: Actor = city, n = name): RegisterCheckpoint => ({
  type: 'RegisterCheckpoint',
  data: { checkpointId, name: n, kind, districtCode },
  metadata: { actor, now: registeredAt },
});
const registered = { type: 'CheckpointRegistered' as const, data: S.CheckpointRegistered };

describe('checkpoint registry', () => {
  it('registers a checkpoint of the city', () => spec.given([]).when(register()).then([registered]));
  it('does nothing when the same registration is retried', () => spec.given([registered]).when(register()).thenNothingHappens());
  it('refuses another checkpoint under a taken id', () =>
    spec.given([registered]).when(register(city, 'Other')).thenThrows(RuleViolationError, 'already registered'));
  it('refuses district staff', () => spec.given([]).when(register(staff)).thenThrows(ForbiddenError));
});
