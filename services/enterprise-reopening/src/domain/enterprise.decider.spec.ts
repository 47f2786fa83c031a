import { ForbiddenError, RuleViolationError } from '@city/eventsourcing';
import { deciderSpecification } from '@city/eventsourcing/testing';
import type { EnterpriseRegistered } from '@city/contracts';
import type { Actor } from './command-context';
import { enterpriseDecider, type RegisterEnterprise } from './enterprise.decider';
import { actors, by, CREDIT_CODE, DISTRICT, industries, NOW, SUBDISTRICT } from './testing/fixtures';

const spec = deciderSpecification(enterpriseDecider);

const profile = {
  creditCode: CREDIT_CODE,
  name: 'Shanghai Yuyuan Software Co., Ltd.',
  industryCode: 'software-it-services',
  size: 'small',
  districtCode: DISTRICT,
  subdistrictCode: SUBDISTRICT,
  usualHeadcount: 86,
} as const;

const registered: EnterpriseRegistered = {
  type: 'EnterpriseRegistered',
  data: {
    creditCode: CREDIT_CODE,
    size: 'small',
    industryCode: 'software-it-services',
    districtCode: DISTRICT,
    subdistrictCode: SUBDISTRICT,
    usualHeadcount: 86,
    reopeningStatus: 'not-declared',
    name: profile.name,
    registeredBy: actors.commission.sub,
    registeredAt: NOW,
  },
};

const register = (actor: Actor = actors.commission, overrides: Partial<RegisterEnterprise['data']> = {}): RegisterEnterprise => ({
  type: 'RegisterEnterprise',
  data: { ...profile, industries, ...overrides },
  metadata: by(actor),
});

describe('enterprise', () => {
  describe('RegisterEnterprise', () => {
    it('registers an enterprise, not yet declared', () => spec.given([]).when(register()).then([registered]));
    it('lets district staff register in their district', () =>
      spec
        .given([])
        .when(register(actors.districtStaff))
        .then([{ ...registered, data: { ...registered.data, registeredBy: actors.districtStaff.sub } }]));
    it('does nothing when the same registration is retried', () => spec.given([registered]).when(register()).thenNothingHappens());
    it('refuses a second, different enterprise under the same code', () =>
      spec
        .given([registered])
        .when(register(actors.commission, { name: 'Another Co.' }))
        .thenThrows(RuleViolationError, /already registered/));
    it('refuses a code with a wrong check character', () =>
      spec
        .given([])
        .when(register(actors.commission, { creditCode: '91310105MA1FL3KX0L' }))
        .thenThrows(RuleViolationError, /check character/));
    it('refuses an unknown industry', () =>
      spec
        .given([])
        .when(register(actors.commission, { industryCode: 'space-tourism' }))
        .thenThrows(RuleViolationError, /industryCode space-tourism/));
    it('refuses a subdistrict outside the district', () =>
      spec
        .given([])
        .when(register(actors.commission, { subdistrictCode: '310107017' }))
        .thenThrows(RuleViolationError, /not in district/));
    it('refuses staff of another district', () => spec.given([]).when(register(actors.otherDistrictStaff)).thenThrows(ForbiddenError));
    it('refuses another department', () => spec.given([]).when(register(actors.otherDepartment)).thenThrows(ForbiddenError));
  });
});
