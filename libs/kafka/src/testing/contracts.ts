import type { EventDataValidator } from '@city/event-schemas';

/**
 * For tests and benchmarks whose synthetic events (`appendCanvassEvents`) are
 * about offsets, retries and dead letters, not contracts: lets every
 * well-formed CloudEvent through `cloudEventDecoder`.
 */
export const acceptAnyEventData: EventDataValidator = () => undefined;
