/**
 * One realistic, typed event of every canvass type (Changning's Jiangsu Road
 * office buildings, Putuo's Shiquan Road compounds), for tests and demos.
 * The object literals are annotated with the event types, so tsc checks them
 * against the TypeScript contract; a contract test checks them against the
 * JSON Schemas. Optional fields are left out on purpose in some samples.
 */
import type { CanvassEvent, CanvassEventType } from './events';

export type CanvassEventOf<T extends CanvassEventType> = Extract<CanvassEvent, { readonly type: T }>;

const jiangsuRoad = { districtCode: '310105', subdistrictCode: '310105002' } as const;
const shiquanRoad = { districtCode: '310107', subdistrictCode: '310107017' } as const;
const officeTower = '5f0c2a8e-6b1d-4c1e-9a43-2d7e0b6f9c11';
const shiquanEstate = 'a3e1c7d2-48b9-4f60-b1d5-7c2e9f08a4b6';

export const CANVASS_EVENT_SAMPLES: { readonly [T in CanvassEventType]: CanvassEventOf<T> } = {
  SubdistrictRegistered: {
    type: 'SubdistrictRegistered',
    data: { ...jiangsuRoad, name: 'Jiangsu Road Subdistrict', registeredAt: '2020-02-03T08:15:00+08:00' },
  },
  UnitRegistered: {
    type: 'UnitRegistered',
    data: {
      ...jiangsuRoad,
      unitId: officeTower,
      kind: 'office-building',
      name: 'Yuyuan Road Office Tower A',
      address: '1088 Yuyuan Road, Changning District',
      size: { tenants: 46, shops: 3, households: 0 },
      registeredAt: '2020-02-04T09:00:00+08:00',
    },
  },
  UnitSizeUpdated: {
    type: 'UnitSizeUpdated',
    data: { ...jiangsuRoad, unitId: officeTower, kind: 'office-building', size: { tenants: 47, shops: 3, households: 0 }, updatedAt: '2020-02-12T16:05:00Z' },
  },
  UnitRetired: {
    type: 'UnitRetired',
    data: {
      ...shiquanRoad,
      unitId: 'b81f5c3e-2d47-4a9b-9e60-3f7d1a8c5e22',
      kind: 'street-block',
      reason: 'Block demolished for redevelopment',
      retiredAt: '2020-03-01T09:00:00+08:00',
    },
  },
  ResponsibleOfficialAssigned: {
    type: 'ResponsibleOfficialAssigned',
    data: {
      ...shiquanRoad,
      unitId: shiquanEstate,
      officialId: 'official-pt-sql-0118',
      previousOfficialId: null,
      assignedBy: 'staff-pt-sql-0001',
      assignedAt: '2020-02-04T10:30:00+08:00',
    },
  },
  CanvassVisitRecorded: {
    type: 'CanvassVisitRecorded',
    data: {
      ...shiquanRoad,
      visitId: 'd41e8b60-7f2c-4a19-b3d8-0e6a5c9f1b27',
      unitId: shiquanEstate,
      kind: 'residential-building-group',
      officialId: 'official-pt-sql-0118',
      recordedBy: 'official-pt-sql-0121',
      standingIn: true,
      visitedAt: '2020-02-12T14:40:00.250+08:00',
      findings: {
        tenantsOpened: 0,
        tenantsClosed: 0,
        householdsCanvassed: 186,
        returnedFromOutside: 9,
        inHomeObservation: 7,
        problems: [{ category: 'unregistered-returnee', description: 'Two returnees not yet registered with the committee' }, { category: 'gathering' }],
        note: 'Buildings 3 and 4 done; building 5 tomorrow',
      },
    },
  },
  GateShiftStarted: {
    type: 'GateShiftStarted',
    data: {
      ...shiquanRoad,
      shiftId: '0c9d7a51-33a4-4d8e-8f5b-6a1e2f3b4c5d',
      unitId: shiquanEstate,
      gate: 'North gate, Lane 340',
      officialId: 'official-pt-sql-0118',
      startedAt: '2020-02-12T07:00:00+08:00',
    },
  },
  GateShiftEnded: {
    type: 'GateShiftEnded',
    data: {
      ...shiquanRoad,
      shiftId: '0c9d7a51-33a4-4d8e-8f5b-6a1e2f3b4c5d',
      unitId: shiquanEstate,
      officialId: 'official-pt-sql-0118',
      startedAt: '2020-02-12T07:00:00+08:00',
      endedAt: '2020-02-12T11:00:00+08:00',
      peopleChecked: 412,
      peopleRegistered: 17,
    },
  },
  DoorstepServiceDelivered: {
    type: 'DoorstepServiceDelivered',
    data: {
      ...shiquanRoad,
      serviceId: '9a2b7c4d-1e5f-4a6b-8c9d-0e1f2a3b4c5d',
      unitId: shiquanEstate,
      kind: 'medicine',
      deliveredBy: 'official-pt-sql-0121',
      deliveredAt: '2020-02-12T17:20:00+08:00',
      households: 3,
    },
  },
};
