import type { KafkaMessage } from 'kafkajs';
import { assertValidEventData, type EventDataValidator } from '@city/event-schemas';
import { fromCloudEventKafkaMessage, type DecodedCloudEvent } from './cloudevents';
import type { MessageDecoder } from './kafka-consumer-runner';

export interface CloudEventDecoderOptions {
  /**
   * Checks each event's type and data; default: the city's contracts
   * (`@city/event-schemas`). A throw (`UnknownEventTypeError` for a `ce_type` no
   * contract knows, `ValidationError` for data that breaks its schema) sends the
   * message to `<topic>.dlq` at once, without retries, and the partition moves on.
   */
  readonly validate?: EventDataValidator;
}

/**
 * Decoder of the city's CloudEvents messages, the consumer's half of the
 * contract (contracts/README.md): a malformed message, an event of an unknown
 * type or data its schema refuses throws a typed error, and the consumer
 * runner dead-letters it. There is one schema per version, so an event is
 * checked at the version it was written in.
 */
export function cloudEventDecoder(options: CloudEventDecoderOptions = {}): MessageDecoder<DecodedCloudEvent> {
  const validate = options.validate ?? assertValidEventData;
  return (message: KafkaMessage) => {
    const event = fromCloudEventKafkaMessage(message);
    validate(event.type, event.schemaVersion, event.data);
    return event;
  };
}
