import type { IHeaders, KafkaMessage } from 'kafkajs';

/** Headers a dead-lettered message carries besides its original ones. */
export const DLQ_HEADERS = {
  error: 'dlq_error',
  errorType: 'dlq_error_type',
  originalTopic: 'dlq_original_topic',
  originalPartition: 'dlq_original_partition',
  originalOffset: 'dlq_original_offset',
  consumer: 'dlq_consumer',
  failedAt: 'dlq_failed_at',
} as const;

const MAX_ERROR_LENGTH = 2000;

/** The original message (key, value, headers) plus why, where and who gave up on it. */
export function deadLetterMessage(
  original: KafkaMessage,
  where: { readonly topic: string; readonly partition: number; readonly consumer: string },
  error: Error,
): { key: Buffer | null; value: Buffer | null; headers: IHeaders } {
  return {
    key: original.key,
    value: original.value,
    headers: {
      ...original.headers,
      [DLQ_HEADERS.error]: error.message.slice(0, MAX_ERROR_LENGTH),
      [DLQ_HEADERS.errorType]: error.name || 'Error',
      [DLQ_HEADERS.originalTopic]: where.topic,
      [DLQ_HEADERS.originalPartition]: String(where.partition),
      [DLQ_HEADERS.originalOffset]: original.offset,
      [DLQ_HEADERS.consumer]: where.consumer,
      [DLQ_HEADERS.failedAt]: new Date().toISOString(),
    },
  };
}
