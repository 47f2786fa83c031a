import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BatchSenderOptions, OutgoingMessage } from './batch-sender';
import type { KafkaSettings } from './kafka-client';

/** Request to the producer thread; one at a time. */
export type ProducerThreadRequest =
  { readonly kind: 'connect' } | { readonly kind: 'disconnect' } | { readonly kind: 'send'; readonly outgoing: readonly OutgoingMessage[] };

/** Answer of the producer thread to the request in flight. */
export type ProducerThreadReply = { readonly ok: true } | { readonly ok: false; readonly name: string; readonly message: string };

/** What the producer thread needs to build its own kafkajs client and BatchSender. */
export interface ProducerThreadData {
  readonly kafka: KafkaSettings;
  readonly sender: BatchSenderOptions;
}

/**
 * BatchSender's interface, with the producer in a worker thread: kafkajs'
 * record encoding (CPU-bound) runs on another core while this thread reads the
 * store and builds CloudEvents. Same guarantees: one request at a time, in
 * order, `send` resolves only once the broker acknowledged every message.
 */
export class WorkerBatchSender {
  private worker?: Worker;
  private pending?: { resolve: () => void; reject: (error: Error) => void };

  constructor(private readonly data: ProducerThreadData) {}

  async connect(): Promise<void> {
    await this.disconnect();
    const ts = extname(__filename) === '.ts';
    const worker = new Worker(join(__dirname, `producer-thread${extname(__filename)}`), {
      workerData: this.data,
      execArgv: ts ? ['-r', '@swc-node/register'] : [],
    });
    worker.on('message', (reply: ProducerThreadReply) => this.settle(reply.ok ? undefined : rebuildError(reply)));
    worker.on('error', (error) => this.settle(error));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      this.settle(new Error(`Producer thread exited (code ${code})`));
    });
    this.worker = worker;
    try {
      await this.request({ kind: 'connect' });
    } catch (error) {
      await this.disconnect();
      throw error;
    }
  }

  async disconnect(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    await this.request({ kind: 'disconnect' }).catch(() => undefined);
    this.worker = undefined;
    await worker.terminate();
  }

  /** Resolves when the broker has acknowledged every message. */
  async send(outgoing: readonly OutgoingMessage[]): Promise<void> {
    await this.request({ kind: 'send', outgoing });
  }

  private request(request: ProducerThreadRequest): Promise<void> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new Error('BatchSender is not connected'));
    if (this.pending) return Promise.reject(new Error('WorkerBatchSender: one request at a time'));
    return new Promise<void>((resolve, reject) => {
      this.pending = { resolve, reject };
      try {
        worker.postMessage(request);
      } catch (error) {
        this.pending = undefined;
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  private settle(error: Error | undefined): void {
    const pending = this.pending;
    this.pending = undefined;
    if (!pending) return;
    if (error) pending.reject(error);
    else pending.resolve();
  }
}

/** The relay's retry logic looks at `name` and `message` only; the stack is the other thread's. */
function rebuildError({ name, message }: { name: string; message: string }): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}
