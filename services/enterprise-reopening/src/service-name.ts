export const ENTERPRISE_REOPENING_SERVICE = 'enterprise-reopening';
