import { ForbiddenError, ValidationError } from '@city/eventsourcing';
import { deciderSpecification } from '@city/eventsourcing/testing';
import { TRAVELLER_HEALTH_EVENT_SAMPLES as S } from '@city/contracts';
import { committeeRegistryDecider, initialState, registerCommittees, type Committee, type RegisterCommittees } from './committee-registry.decider';
import type { Actor } from './command-context';

const spec = deciderSpecification(committeeRegistryDecider);
const changning: Actor = { sub: 'staff-changning-01', role: 'district-staff', district: '310105' };
const xuhui: Actor = { sub: 'staff-xuhui-01', role: 'district-staff', district: '310104' };
const { districtCode, subdistrictCode, subdistrictName, committeeCode, name, registeredAt } = S.CommitteeRegistered;
const third: Committee = { subdistrictCode, subdistrictName, committeeCode, name };
const fourth: Committee = { ...third, committeeCode: '310105002004', name: 'No. 4 Residents’ Committee' };
const register = (committees: Committee[], actor: Actor = changning): RegisterCommittees => ({
  type: 'RegisterCommittees',
  data: { districtCode, committees },
  metadata: { actor, now: registeredAt },
});
const registered = (c: Committee) => ({ type: 'CommitteeRegistered' as const, data: { districtCode, ...c, registeredBy: changning.sub, registeredAt } });

describe('committee registry', () => {
  it('registers the committees of a district', () =>
    spec
      .given([])
      .when(register([third, fourth]))
      .then([registered(third), registered(fourth)]));
  it('matches the contract sample', () =>
    spec
      .given([])
      .when(register([third]))
      .then([{ type: 'CommitteeRegistered', data: S.CommitteeRegistered }]));
  it('does nothing for a list sent again', () =>
    spec
      .given([registered(third), registered(fourth)])
      .when(register([fourth, third]))
      .thenNothingHappens());
  it('registers only what is new of a longer list', () =>
    spec
      .given([registered(third)])
      .when(register([third, fourth]))
      .then([registered(fourth)]));
  it('renames a committee registered again under another name', () =>
    spec
      .given([registered(third)])
      .when(register([{ ...third, name: 'Renamed' }]))
      .then([registered({ ...third, name: 'Renamed' })]));
  it('records a committee listed twice alike once', () =>
    spec
      .given([])
      .when(register([third, third]))
      .then([registered(third)]));
  it('refuses a committee code listed twice under two names', () =>
    spec
      .given([])
      .when(register([third, { ...third, name: 'Other' }]))
      .thenThrows(ValidationError, 'not valid'));
  it('refuses one subdistrict under two names', () =>
    spec
      .given([])
      .when(register([third, { ...fourth, subdistrictName: 'Other' }]))
      .thenThrows(ValidationError, 'not valid'));
  it('refuses a committee outside its subdistrict, or a subdistrict outside the district', () => {
    spec
      .given([])
      .when(register([{ ...third, committeeCode: '310105003001' }]))
      .thenThrows(ValidationError, 'not valid');
    spec
      .given([])
      .when(register([{ ...third, subdistrictCode: '310104002', committeeCode: '310104002001' }]))
      .thenThrows(ValidationError, 'not valid');
  });
  it('names the field of each problem', () => {
    const fieldsOf = (committees: Committee[]) => {
      try {
        registerCommittees(register(committees), initialState());
      } catch (error) {
        return (error as ValidationError).fields;
      }
    };
    expect(fieldsOf([third, { ...fourth, subdistrictName: 'Other' }, { ...third, name: 'Other' }, { ...third, committeeCode: '310105003001' }])).toEqual({
      'committees.1.subdistrictName': [`committees.1.subdistrictName differs from "${subdistrictName}" given before for ${subdistrictCode}`],
      'committees.2.committeeCode': ['committees.2.committeeCode appears again at 0 under another name'],
      'committees.3.committeeCode': [`committees.3.committeeCode is not in subdistrict ${subdistrictCode}`],
    });
  });
  it("refuses another district's staff", () =>
    spec
      .given([])
      .when(register([third], xuhui))
      .thenThrows(ForbiddenError));
});
