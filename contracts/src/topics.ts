import { CANVASS_TOPIC } from './canvass/events';
import { ENTERPRISE_REOPENING_TOPIC } from './enterprise-reopening/events';
import { POLICY_RELIEF_TOPIC } from './policy-relief/events';
import { TRAVELLER_HEALTH_TOPIC } from './traveller-health/events';

/**
 * Kafka topic of each bounded context. The context name is also the prefix of
 * its stream ids (`canvass.unit-…`) and of its CloudEvents type
 * (`city.canvass.…`); its folder under contracts/topics is named after the topic.
 * Add a line here when a context gets its topic folder (a test checks both agree).
 */
export const TOPICS = {
  canvass: CANVASS_TOPIC,
  'enterprise-reopening': ENTERPRISE_REOPENING_TOPIC,
  'policy-relief': POLICY_RELIEF_TOPIC,
  'traveller-health': TRAVELLER_HEALTH_TOPIC,
} as const;

export type ContextName = keyof typeof TOPICS;
export type TopicName = (typeof TOPICS)[ContextName];
