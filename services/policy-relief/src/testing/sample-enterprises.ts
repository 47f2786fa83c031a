import type { Actor } from '@city/auth';
import type { EnterpriseProfile } from '../domain/enterprise-facts';

/** The two sample enterprises of the specs: a small café in Changning and a micro shop in Putuo. */
export const CAFE = '91310105MA1FL0XQ2P';
export const SHOP = '91310107MA1G8K2X3J';
export const cafe: Actor = { sub: CAFE, role: 'enterprise' };
export const shop: Actor = { sub: SHOP, role: 'enterprise' };
export const sasac: Actor = { sub: 'sasac-officer-0007', role: 'department', department: 'policy-relief', office: 'state-assets' };

/** An enterprise as the view knows it from enterprise-reopening's events: by default, the café. */
export const profile = (enterpriseId: string, over: Partial<EnterpriseProfile> = {}): EnterpriseProfile => ({
  enterpriseId,
  districtCode: '310105',
  subdistrictCode: '310105002',
  size: 'small',
  industry: 'catering',
  reopeningStatus: 'reopened',
  headcount: 18,
  ...over,
});
