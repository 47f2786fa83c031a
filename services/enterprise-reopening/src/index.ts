/** The enterprise-reopening service as other deployables compose it (the embedded city in-process; stack mode runs `main.ts`). */
export { EnterpriseReopeningModule } from './enterprise-reopening.module';
export type { EnterpriseReopeningModuleOptions } from './enterprise-reopening.module';
export { createEnterpriseReopeningApp, ENTERPRISE_REOPENING_SERVICE_NAME } from './enterprise-reopening-app';
export type { EnterpriseReopeningAppOptions } from './enterprise-reopening-app';
export { ENTERPRISE_REOPENING_DEPARTMENT, startEnterpriseReopeningStack } from './enterprise-reopening-stack';
