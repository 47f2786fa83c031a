import { foldEvents, ForbiddenError, RuleViolationError, ValidationError } from '@city/eventsourcing';
import { deciderSpecification } from '@city/eventsourcing/testing';
import type { SubdistrictRegistered } from '@city/contracts';
import { districtRegistryDecider, registeredSubdistrictCodes, type RegisterSubdistrict } from './district-registry.decider';
import { actors, by, DISTRICT, NOW, SUBDISTRICT } from './testing/fixtures';
import type { Actor } from './command-context';

const spec = deciderSpecification(districtRegistryDecider);

const register = (subdistrictCode = SUBDISTRICT, name = 'Jiangsu Road', actor: Actor = actors.districtStaff, districtCode = DISTRICT): RegisterSubdistrict => ({
  type: 'RegisterSubdistrict',
  data: { districtCode, subdistrictCode, name },
  metadata: by(actor),
});

const registered = (subdistrictCode = SUBDISTRICT, name = 'Jiangsu Road'): SubdistrictRegistered => ({
  type: 'SubdistrictRegistered',
  data: { districtCode: DISTRICT, subdistrictCode, name, registeredAt: NOW },
});

describe('district subdistrict registry', () => {
  describe('RegisterSubdistrict', () => {
    it('registers a subdistrict of the district', () => {
      spec.given([]).when(register()).then([registered()]);
    });

    it('registers a second subdistrict next to the first', () => {
      spec
        .given([registered()])
        .when(register('310105003', 'Huayang Road'))
        .then([registered('310105003', 'Huayang Road')]);
    });

    it('lets the canvass department register in any district', () => {
      spec
        .given([])
        .when(register(SUBDISTRICT, 'Jiangsu Road', actors.department))
        .then([registered()]);
    });

    it('does nothing when the same registration is retried', () => {
      spec.given([registered()]).when(register()).thenNothingHappens();
    });

    it('refuses a code already registered under another name', () => {
      spec
        .given([registered()])
        .when(register(SUBDISTRICT, 'Another name'))
        .thenThrows(RuleViolationError, /already registered/);
    });

    it('refuses a second subdistrict with the same name', () => {
      spec
        .given([registered()])
        .when(register('310105009'))
        .thenThrows(RuleViolationError, /already named/);
    });

    it('refuses a district that is not one of the city', () => {
      spec
        .given([])
        .when(register('310199001', 'Nowhere', actors.department, '310199'))
        .thenThrows(RuleViolationError, /not one of the city's districts/);
    });

    it('refuses a subdistrict code outside the district', () => {
      spec
        .given([])
        .when(register('310107001'))
        .thenThrows(ValidationError, /Invalid subdistrict code/);
    });

    it('refuses district staff of another district', () => {
      spec
        .given([])
        .when(register(SUBDISTRICT, 'Jiangsu Road', actors.otherDistrictStaff))
        .thenThrows(ForbiddenError);
    });

    it('refuses field officials, the city center and other departments', () => {
      for (const actor of [actors.official, actors.cityCenter, actors.otherDepartment]) {
        spec
          .given([])
          .when(register(SUBDISTRICT, 'Jiangsu Road', actor))
          .thenThrows(ForbiddenError);
      }
    });
  });

  it('lists the registered codes and the name of each', () => {
    const state = foldEvents(districtRegistryDecider, [registered(), registered('310105003', 'Huayang Road')]);
    expect(registeredSubdistrictCodes(state)).toEqual([SUBDISTRICT, '310105003']);
    expect(state.status === 'active' && state.subdistricts.get('310105003')).toBe('Huayang Road');
  });
});
