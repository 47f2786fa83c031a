/**
 * The JSON Schemas of the canvass events say what the TypeScript types say.
 *
 * The tables below are checked by tsc against events.ts (a missing, extra or
 * wrongly optional field is a type error), and by this test against the schemas
 * (a schema that requires, allows or forbids something else fails). The typed
 * samples are checked by tsc as well and must validate.
 */
import {
  CANVASS_EVENT_SAMPLES,
  CANVASS_EVENT_TYPES,
  DOORSTEP_SERVICE_KINDS,
  PROBLEM_CATEGORIES,
  UNIT_KINDS,
  type CanvassEventOf,
  type CanvassEventType,
  type CanvassFindings,
  type UnitSize,
} from './canvass';
import { DISTRICT_CODES } from './districts';
import { validateEventData } from './contract-test-support';
import { eventContractOf } from './event-catalog';
import canvassDefs from '../topics/canvass.events.v1/canvass.schema.json';
import cityDefs from '../topics/common/city.schema.json';

type Presence = 'required' | 'optional';
/** For each field of T: is it required or optional? tsc checks the table is complete and right. */
type FieldTable<T> = { readonly [K in keyof T]-?: Record<never, never> extends Pick<T, K> ? 'optional' : 'required' };

type DataOf<T extends CanvassEventType> = CanvassEventOf<T>['data'];
const location = { districtCode: 'required', subdistrictCode: 'required' } as const;

const EVENT_FIELDS: { readonly [T in CanvassEventType]: FieldTable<DataOf<T>> } = {
  SubdistrictRegistered: { ...location, name: 'required', registeredAt: 'required' },
  UnitRegistered: {
    ...location,
    unitId: 'required',
    kind: 'required',
    name: 'required',
    address: 'required',
    residentsCommittee: 'optional',
    size: 'required',
    registeredAt: 'required',
  },
  UnitSizeUpdated: { ...location, unitId: 'required', kind: 'required', size: 'required', updatedAt: 'required' },
  UnitRetired: { ...location, unitId: 'required', kind: 'required', reason: 'optional', retiredAt: 'required' },
  ResponsibleOfficialAssigned: {
    ...location,
    unitId: 'required',
    officialId: 'required',
    previousOfficialId: 'required',
    assignedBy: 'required',
    assignedAt: 'required',
  },
  CanvassVisitRecorded: {
    ...location,
    visitId: 'required',
    unitId: 'required',
    kind: 'required',
    officialId: 'required',
    recordedBy: 'required',
    standingIn: 'required',
    visitedAt: 'required',
    findings: 'required',
  },
  GateShiftStarted: { ...location, shiftId: 'required', unitId: 'required', gate: 'required', officialId: 'required', startedAt: 'required' },
  GateShiftEnded: {
    ...location,
    shiftId: 'required',
    unitId: 'required',
    officialId: 'required',
    startedAt: 'required',
    endedAt: 'required',
    peopleChecked: 'required',
    peopleRegistered: 'required',
  },
  DoorstepServiceDelivered: {
    ...location,
    serviceId: 'required',
    unitId: 'required',
    kind: 'required',
    deliveredBy: 'required',
    deliveredAt: 'required',
    households: 'required',
  },
};

const NESTED_FIELDS: Readonly<Record<'unitSize' | 'findings' | 'problem', Readonly<Record<string, Presence>>>> = {
  unitSize: { tenants: 'required', shops: 'required', households: 'required' } satisfies FieldTable<UnitSize>,
  findings: {
    tenantsOpened: 'required',
    tenantsClosed: 'required',
    householdsCanvassed: 'required',
    returnedFromOutside: 'required',
    inHomeObservation: 'required',
    problems: 'required',
    note: 'optional',
  } satisfies FieldTable<CanvassFindings>,
  problem: { category: 'required', description: 'optional' } satisfies FieldTable<CanvassFindings['problems'][number]>,
};

interface ObjectSchema {
  readonly properties: Readonly<Record<string, unknown>>;
  readonly required: readonly string[];
}

function fieldsOf(schema: ObjectSchema): Record<string, Presence> {
  return Object.fromEntries(Object.keys(schema.properties).map((k) => [k, schema.required.includes(k) ? 'required' : 'optional']));
}

describe('canvass schemas conform to contracts/src/canvass/events.ts', () => {
  it('cover CANVASS_EVENT_TYPES exactly', () => {
    expect(Object.keys(EVENT_FIELDS).sort()).toEqual([...CANVASS_EVENT_TYPES].sort());
    expect(Object.keys(CANVASS_EVENT_SAMPLES).sort()).toEqual([...CANVASS_EVENT_TYPES].sort());
  });

  it.each(CANVASS_EVENT_TYPES.map((t) => [t]))('%s v1 has the fields of the TS type, required exactly where the TS type requires them', (type) => {
    expect(fieldsOf(eventContractOf(type, 1)?.schema as unknown as ObjectSchema)).toEqual(EVENT_FIELDS[type]);
  });

  it.each(Object.keys(NESTED_FIELDS).map((d) => [d as keyof typeof NESTED_FIELDS]))('nested object %s has the fields of the TS type', (def) => {
    expect(fieldsOf(canvassDefs.$defs[def] as unknown as ObjectSchema)).toEqual(NESTED_FIELDS[def]);
  });

  it.each(CANVASS_EVENT_TYPES.map((t) => [t]))('the typed %s sample validates', (type) => {
    const sample = CANVASS_EVENT_SAMPLES[type];
    expect(sample.type).toBe(type);
    expect(validateEventData(type, 1, sample.data)).toEqual({ valid: true });
  });

  it('enumerates the same unit kinds, problem categories, doorstep kinds and districts as the TS constants', () => {
    expect(canvassDefs.$defs.unitKind.enum).toEqual([...UNIT_KINDS]);
    expect(canvassDefs.$defs.problemCategory.enum).toEqual([...PROBLEM_CATEGORIES]);
    expect(canvassDefs.$defs.doorstepServiceKind.enum).toEqual([...DOORSTEP_SERVICE_KINDS]);
    expect(cityDefs.$defs.districtCode.enum).toEqual([...DISTRICT_CODES]);
  });

  it('accepts null as previousOfficialId on a first assignment, but not an empty id', () => {
    const data = CANVASS_EVENT_SAMPLES.ResponsibleOfficialAssigned.data;
    expect(validateEventData('ResponsibleOfficialAssigned', 1, { ...data, previousOfficialId: null }).valid).toBe(true);
    expect(validateEventData('ResponsibleOfficialAssigned', 1, { ...data, previousOfficialId: 'official-pt-sql-0097' }).valid).toBe(true);
    expect(validateEventData('ResponsibleOfficialAssigned', 1, { ...data, previousOfficialId: '' }).valid).toBe(false);
  });
});
