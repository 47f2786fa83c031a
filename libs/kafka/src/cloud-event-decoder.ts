import type { KafkaMessage } from 'kafkajs';
import { fromCloudEventKafkaMessage } from '@city/contracts';
import type { DecodedCloudEvent, FromCloudEventOptions } from '@city/contracts';
import type { MessageDecoder } from './kafka-consumer-runner';

/** Decoder of the city's CloudEvents messages; a malformed one throws a typed error (and is dead-lettered). */
export function cloudEventDecoder(options: FromCloudEventOptions = {}): MessageDecoder<DecodedCloudEvent> {
  return (message: KafkaMessage) => fromCloudEventKafkaMessage(message, options);
}
