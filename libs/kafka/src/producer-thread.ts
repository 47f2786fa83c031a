/**
 * Entry point of the worker thread of WorkerBatchSender: runs a BatchSender on
 * its own kafkajs client and answers each request with ok or the error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BatchSender } from './batch-sender';
import { createKafka } from './kafka-client';
import type { ProducerThreadData, ProducerThreadReply, ProducerThreadRequest } from './worker-batch-sender';

const port = parentPort;
if (!port) throw new Error('producer-thread runs only as a worker thread');
const data = workerData as ProducerThreadData;
const sender = new BatchSender(createKafka(data.kafka), data.sender);

async function handle(request: ProducerThreadRequest): Promise<void> {
  if (request.kind === 'connect') return sender.connect();
  if (request.kind === 'disconnect') return sender.disconnect();
  return sender.send(request.outgoing);
}

port.on('message', (request: ProducerThreadRequest) => {
  handle(request).then(
    () => port.postMessage({ ok: true } satisfies ProducerThreadReply),
    (error: unknown) => {
      const e = error instanceof Error ? error : new Error(String(error));
      port.postMessage({ ok: false, name: e.name, message: e.message } satisfies ProducerThreadReply);
    },
  );
});
