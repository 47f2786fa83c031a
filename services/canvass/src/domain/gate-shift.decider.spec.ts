import { ForbiddenError, NotFoundError, RuleViolationError } from '@city/eventsourcing';
import { deciderSpecification } from '@city/eventsourcing/testing';
import type { GateShiftEnded, GateShiftStarted } from '@city/contracts';
import type { Actor } from './command-context';
import { gateShiftDecider, type CompoundSnapshot, type EndGateShift, type OfficialShift, type StartGateShift } from './gate-shift.decider';
import { actors, by, DISTRICT, SUBDISTRICT } from './testing/fixtures';

const spec = deciderSpecification(gateShiftDecider);
const SHIFT = 'shift-1';
const where = { districtCode: DISTRICT, subdistrictCode: SUBDISTRICT };
const START = '2020-02-10T07:00:00+08:00';
const END = '2020-02-10T09:00:00+08:00';
const compound: CompoundSnapshot = { ...where, unitId: 'compound-1', kind: 'residential-building-group', status: 'active', officialId: 'official-li' };

const start = (overrides: Partial<StartGateShift['data']> = {}, actor: Actor = actors.official): StartGateShift => ({
  type: 'StartGateShift',
  data: {
    shiftId: SHIFT,
    unitId: compound.unitId,
    gate: 'north gate',
    officialId: actor.sub,
    startedAt: START,
    compound,
    otherShiftsOfOfficial: [],
    ...overrides,
  },
  metadata: by(actor),
});
const end = (overrides: Partial<EndGateShift['data']> = {}, actor: Actor = actors.official): EndGateShift => ({
  type: 'EndGateShift',
  data: { shiftId: SHIFT, endedAt: END, peopleChecked: 320, peopleRegistered: 12, otherShiftsOfOfficial: [], ...overrides },
  metadata: by(actor),
});
const started = (officialId = actors.official.sub): GateShiftStarted => ({
  type: 'GateShiftStarted',
  data: { ...where, shiftId: SHIFT, unitId: compound.unitId, gate: 'north gate', officialId, startedAt: START },
});
const ended = (): GateShiftEnded => ({
  type: 'GateShiftEnded',
  data: {
    ...where,
    shiftId: SHIFT,
    unitId: compound.unitId,
    officialId: actors.official.sub,
    startedAt: START,
    endedAt: END,
    peopleChecked: 320,
    peopleRegistered: 12,
  },
});
const shift = (shiftId: string, startedAt: string, endedAt: string | null): OfficialShift => ({ shiftId, startedAt, endedAt });

describe('gate shift', () => {
  describe('StartGateShift', () => {
    it('starts a shift at a compound gate of the official’s subdistrict', () => {
      spec.given([]).when(start()).then([started()]);
    });

    it('lets district staff record a shift for an official', () => {
      spec
        .given([])
        .when(start({ officialId: 'official-wang' }, actors.districtStaff))
        .then([started('official-wang')]);
    });

    it('starts right when the official’s previous shift ended', () => {
      spec
        .given([])
        .when(start({ otherShiftsOfOfficial: [shift('shift-0', '2020-02-10T05:00:00+08:00', START)] }))
        .then([started()]);
    });

    it('does nothing when the same start is retried', () => {
      spec.given([started()]).when(start()).thenNothingHappens();
    });

    it('refuses a retried start with another time, naming it', () => {
      spec
        .given([started()])
        .when(start({ startedAt: '2020-02-10T06:00:00+08:00' }))
        .thenThrows(RuleViolationError, /has already started with a different startedAt$/);
    });

    it('refuses a shift id already used for another start', () => {
      spec
        .given([started()])
        .when(start({ gate: 'south gate' }))
        .thenThrows(RuleViolationError, /already started/);
    });

    it('refuses an unknown unit', () => {
      spec
        .given([])
        .when(start({ compound: null }))
        .thenThrows(NotFoundError, /Unknown unit/);
    });

    it('refuses a retired compound', () => {
      spec
        .given([])
        .when(start({ compound: { ...compound, status: 'retired' } }))
        .thenThrows(RuleViolationError, /retired/);
    });

    it('refuses a unit that is not a compound', () => {
      spec
        .given([])
        .when(start({ compound: { ...compound, kind: 'office-building' } }))
        .thenThrows(RuleViolationError, /compounds/);
    });

    it('refuses while the official is still on another shift', () => {
      spec
        .given([])
        .when(start({ otherShiftsOfOfficial: [shift('shift-0', '2020-02-10T06:00:00+08:00', null)] }))
        .thenThrows(RuleViolationError, /another shift/);
    });

    it('refuses a start inside another shift of the official', () => {
      spec
        .given([])
        .when(start({ otherShiftsOfOfficial: [shift('shift-0', '2020-02-10T06:00:00+08:00', '2020-02-10T08:00:00+08:00')] }))
        .thenThrows(RuleViolationError, /another shift/);
    });

    it('refuses a start in the future', () => {
      spec
        .given([])
        .when(start({ startedAt: '2020-02-10T12:00:00+08:00' }))
        .thenThrows(RuleViolationError, /in the future/);
    });

    it('refuses a field official recording someone else’s gate duty', () => {
      spec
        .given([])
        .when(start({ officialId: 'official-li' }))
        .thenThrows(ForbiddenError, /own gate duty/);
    });

    it('answers a field official of another subdistrict as for an unknown unit', () => {
      spec.given([]).when(start({}, actors.farOfficial)).thenThrows(NotFoundError);
    });
  });

  describe('EndGateShift', () => {
    it('ends the shift with the people checked and registered', () => {
      spec.given([started()]).when(end()).then([ended()]);
    });

    it('lets district staff end an official’s shift', () => {
      spec.given([started()]).when(end({}, actors.districtStaff)).then([ended()]);
    });

    it('refuses a retried end with other figures, naming them', () => {
      spec
        .given([started(), ended()])
        .when(end({ peopleChecked: 1 }))
        .thenThrows(RuleViolationError, /with a different peopleChecked$/);
    });

    it('does nothing when the same end is retried', () => {
      spec
        .given([started(), ended()])
        .when(end({ endedAt: END }))
        .thenNothingHappens();
    });

    it('refuses to end a shift twice with other figures', () => {
      spec
        .given([started(), ended()])
        .when(end({ peopleChecked: 400 }))
        .thenThrows(RuleViolationError, /ended at/);
    });

    it('refuses a shift that never started', () => {
      spec
        .given([])
        .when(end())
        .thenThrows(NotFoundError, /Unknown gate shift/);
    });

    it('refuses an end before the start', () => {
      spec
        .given([started()])
        .when(end({ endedAt: '2020-02-10T06:59:59+08:00' }))
        .thenThrows(RuleViolationError, /cannot end/);
    });

    it('refuses an end equal to the start', () => {
      spec
        .given([started()])
        .when(end({ endedAt: START }))
        .thenThrows(RuleViolationError, /cannot end/);
    });

    it('names the rule shift-ends-before-start', () => {
      const command = end({ endedAt: '2020-02-10T06:00:00+08:00' });
      expect(() => gateShiftDecider.decide(command, gateShiftDecider.evolve(gateShiftDecider.initialState(), started()))).toThrow(
        expect.objectContaining({ rule: 'shift-ends-before-start' }),
      );
    });

    it('refuses an end in the future', () => {
      spec
        .given([started()])
        .when(end({ endedAt: '2020-02-10T23:00:00+08:00' }))
        .thenThrows(RuleViolationError, /in the future/);
    });

    it('refuses more people registered than checked', () => {
      spec
        .given([started()])
        .when(end({ peopleChecked: 3, peopleRegistered: 4 }))
        .thenThrows(RuleViolationError, /registered/);
    });

    it('refuses an end that runs into a later shift of the official', () => {
      spec
        .given([started()])
        .when(end({ otherShiftsOfOfficial: [shift('shift-2', '2020-02-10T08:30:00+08:00', '2020-02-10T09:30:00+08:00')] }))
        .thenThrows(RuleViolationError, /another shift/);
    });

    it('answers a field official of another subdistrict as for an unknown shift', () => {
      spec.given([started()]).when(end({}, actors.farOfficial)).thenThrows(NotFoundError);
    });

    it('refuses a colleague who ends another official’s shift (access rule 7)', () => {
      spec
        .given([started()])
        .when(end({ peopleChecked: 9999 }, actors.colleague))
        .thenThrows(ForbiddenError);
    });
  });
});
