import { ForbiddenError } from '@city/eventsourcing';
import type { Actor } from './actor';
import {
  assertCanIssueForDepartment,
  assertCanReadCity,
  assertCanReadDistrict,
  canIssueForDepartment,
  canReadDistrict,
  readableDistricts,
} from './organisation';

const cityCenter: Actor = { sub: 'cc', role: 'city-center' };
const changning: Actor = { sub: 'cn', role: 'district-staff', district: '310105' };
const official: Actor = { sub: 'fo-1', role: 'field-official', district: '310105', subdistrict: '310105001', department: 'canvass' };
const canvassDept: Actor = { sub: 'cd', role: 'department', department: 'canvass' };
const putuoHealth: Actor = { sub: 'ph', role: 'department', department: 'traveller-health', district: '310107' };

describe('reading districts', () => {
  it.each([
    [cityCenter, '310105', true],
    [cityCenter, '310107', true],
    [changning, '310105', true],
    [changning, '310107', false],
    [official, '310105', true],
    [official, '310101', false],
    [canvassDept, '310151', true],
    [putuoHealth, '310107', true],
    [putuoHealth, '310105', false],
  ])('%o reads %s: %s', (actor, district, allowed) => {
    expect(canReadDistrict(actor, district)).toBe(allowed);
  });

  it('throws a ForbiddenError naming the reason', () => {
    expect(() => assertCanReadDistrict(changning, '310107')).toThrow(ForbiddenError);
    expect(() => assertCanReadDistrict(changning, '310107')).toThrow(
      expect.objectContaining({ reason: 'other_district', message: 'Token for district 310105 may not read district 310107' }),
    );
    expect(() => assertCanReadDistrict(changning, '310105')).not.toThrow();
  });

  it('lets only tokens without a district read the whole city', () => {
    expect(() => assertCanReadCity(cityCenter)).not.toThrow();
    expect(() => assertCanReadCity(canvassDept)).not.toThrow();
    expect(() => assertCanReadCity(putuoHealth)).toThrow(
      expect.objectContaining({ reason: 'other_district', message: 'Token for district 310107 may not read the whole city' }),
    );
  });

  it('lists the readable districts for list queries', () => {
    expect(readableDistricts(cityCenter)).toBe('all');
    expect(readableDistricts(changning)).toEqual(['310105']);
    expect(readableDistricts(putuoHealth)).toEqual(['310107']);
  });
});

describe('department commands', () => {
  it('lets a department token issue only its own department’s commands', () => {
    expect(canIssueForDepartment(canvassDept, 'canvass')).toBe(true);
    expect(canIssueForDepartment(canvassDept, 'policy-relief')).toBe(false);
    expect(canIssueForDepartment(official, 'canvass')).toBe(true);
    expect(canIssueForDepartment(official, 'traveller-health')).toBe(false);
    expect(canIssueForDepartment(changning, 'canvass')).toBe(true);
    expect(() => assertCanIssueForDepartment(canvassDept, 'policy-relief')).toThrow(expect.objectContaining({ reason: 'wrong_department' }));
  });
});
