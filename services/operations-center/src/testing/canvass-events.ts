import { randomUUID } from 'node:crypto';
import type {
  CanvassEvent,
  CanvassFindings,
  CanvassVisitRecorded,
  DoorstepServiceDelivered,
  GateShiftEnded,
  SubdistrictRegistered,
  UnitKind,
  UnitRegistered,
  UnitRetired,
  UnitSizeUpdated,
} from '@city/contracts';
import { canvassStreams } from '@city/contracts';
import type { NewEvent, RecordedEvent } from '@city/eventsourcing';

/**
 * Builders of canvass events for tests and demos: each returns the event as
 * the store would record it (`recorded`) or as it would be appended (`toNew`).
 */
let nextPosition = 1n;

export function recorded<E extends CanvassEvent>(event: E, streamId: string, eventId = randomUUID()): RecordedEvent<E> {
  return {
    eventId,
    type: event.type,
    schemaVersion: 1,
    data: event.data,
    metadata: { correlationId: eventId, causationId: eventId },
    streamId,
    streamVersion: 0,
    globalPosition: nextPosition++,
    recordedAt: new Date().toISOString(),
  } as RecordedEvent<E>;
}

export function toNew(event: RecordedEvent): NewEvent {
  return { eventId: event.eventId, type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata: event.metadata };
}

export interface UnitRef {
  readonly unitId: string;
  readonly kind: UnitKind;
  readonly districtCode: string;
  readonly subdistrictCode: string;
}

export function unitRef(unitId: string, kind: UnitKind, districtCode = '310105', subdistrictCode = `${districtCode}001`): UnitRef {
  return { unitId, kind, districtCode, subdistrictCode };
}

export function subdistrictRegistered(districtCode: string, subdistrictCode: string, name: string, at: string): RecordedEvent<SubdistrictRegistered> {
  return recorded({ type: 'SubdistrictRegistered', data: { districtCode, subdistrictCode, name, registeredAt: at } }, canvassStreams.district(districtCode));
}

export function unitRegistered(unit: UnitRef, at: string, households = 10): RecordedEvent<UnitRegistered> {
  return recorded(
    {
      type: 'UnitRegistered',
      data: { ...unit, name: `Unit ${unit.unitId}`, address: `${unit.unitId} Road`, size: { tenants: 0, shops: 0, households }, registeredAt: at },
    },
    canvassStreams.unit(unit.unitId),
  );
}

export function unitSizeUpdated(unit: UnitRef, at: string, households: number): RecordedEvent<UnitSizeUpdated> {
  return recorded({ type: 'UnitSizeUpdated', data: { ...unit, size: { tenants: 0, shops: 0, households }, updatedAt: at } }, canvassStreams.unit(unit.unitId));
}

export function unitRetired(unit: UnitRef, at: string): RecordedEvent<UnitRetired> {
  return recorded({ type: 'UnitRetired', data: { ...unit, reason: 'demolished', retiredAt: at } }, canvassStreams.unit(unit.unitId));
}

export function visitRecorded(unit: UnitRef, at: string, findings: Partial<CanvassFindings> = {}): RecordedEvent<CanvassVisitRecorded> {
  return recorded(
    {
      type: 'CanvassVisitRecorded',
      data: {
        ...unit,
        visitId: randomUUID(),
        officialId: 'official-1',
        recordedBy: 'official-1',
        standingIn: false,
        visitedAt: at,
        findings: {
          tenantsOpened: 0,
          tenantsClosed: 0,
          householdsCanvassed: 0,
          returnedFromOutside: 0,
          inHomeObservation: 0,
          problems: [],
          ...findings,
        },
      },
    },
    canvassStreams.unit(unit.unitId),
  );
}

export function gateShiftEnded(
  unit: UnitRef,
  startedAt: string,
  endedAt: string,
  people: { checked?: number; registered?: number } = {},
): RecordedEvent<GateShiftEnded> {
  const shiftId = randomUUID();
  return recorded(
    {
      type: 'GateShiftEnded',
      data: {
        districtCode: unit.districtCode,
        subdistrictCode: unit.subdistrictCode,
        shiftId,
        unitId: unit.unitId,
        officialId: 'official-1',
        startedAt,
        endedAt,
        peopleChecked: people.checked ?? 0,
        peopleRegistered: people.registered ?? 0,
      },
    },
    canvassStreams.gateShift(shiftId),
  );
}

export function doorstepServiceDelivered(
  unit: UnitRef,
  at: string,
  kind: DoorstepServiceDelivered['data']['kind'] = 'groceries',
  households = 1,
): RecordedEvent<DoorstepServiceDelivered> {
  return recorded(
    {
      type: 'DoorstepServiceDelivered',
      data: {
        districtCode: unit.districtCode,
        subdistrictCode: unit.subdistrictCode,
        serviceId: randomUUID(),
        unitId: unit.unitId,
        kind,
        deliveredBy: 'official-1',
        deliveredAt: at,
        households,
      },
    },
    canvassStreams.unit(unit.unitId),
  );
}
