import type { Admin, Kafka } from 'kafkajs';
import type { ReadinessCheck } from '@city/observability';

export interface KafkaReadiness {
  /** The `kafka` check of /health/ready. */
  readonly check: ReadinessCheck;
  /** Disconnects the admin client, if it ever connected. */
  close(): Promise<void>;
}

/**
 * "The broker answers", for /health/ready. The admin client connects lazily on
 * the first check and again after a failed connect, so a service starts while
 * the broker is down, reports not ready, and becomes ready when it answers
 * (an eager `admin.connect()` at start-up would keep the service from starting).
 */
export function kafkaReadiness(kafka: Kafka): KafkaReadiness {
  let admin: Admin | undefined;
  let connected: Promise<void> | undefined;
  const reachable = async (): Promise<void> => {
    admin ??= kafka.admin();
    const client = admin;
    connected ??= client.connect().catch((error: unknown) => {
      connected = undefined;
      throw error;
    });
    await connected;
    await client.describeCluster();
  };
  return {
    check: { name: 'kafka', check: reachable },
    close: async () => {
      await admin?.disconnect().catch(() => undefined);
    },
  };
}
