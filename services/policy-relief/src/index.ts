/** The policy-relief service as other deployables compose it (the embedded city in-process; stack mode runs `main.ts`). */
export { PolicyReliefModule } from './policy-relief.module';
export type { PolicyReliefModuleOptions } from './policy-relief.module';
export { createPolicyReliefApp, POLICY_RELIEF_SERVICE_NAME } from './policy-relief-app';
export type { PolicyReliefAppOptions } from './policy-relief-app';
export { POLICY_RELIEF_DEPARTMENT, startPolicyReliefStack } from './policy-relief-stack';
export { ReliefCommands } from './application/relief-commands';
export type { RequestContext } from './application/relief-commands';
export { EnterpriseView } from './application/enterprise-view';
export type { EnterpriseFacts, EnterpriseProfile } from './domain/enterprise-facts';
