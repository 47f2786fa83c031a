export { enterpriseDecider, type EnterpriseCommand, type EnterpriseEvent, type EnterpriseProfile, type EnterpriseState } from './enterprise.decider';
export { guidelineDecider, currentGuidelineOf, type GuidelineCommand, type GuidelineEvent, type GuidelineState } from './guideline.decider';
export { appealDecider, answerDueAt, DEFAULT_DEPARTMENT, type AppealCommand, type AppealState } from './appeal.decider';
export * from './access-policy';
export * from './command-context';
export * from './industry-catalog';
export * from './rules';
