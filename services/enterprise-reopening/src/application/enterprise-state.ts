import { enterpriseReopeningStreams } from '@city/contracts';
import { foldEvents, NotFoundError, type EventStore, type RecordedEvent } from '@city/eventsourcing';
import { enterpriseDecider, type EnterpriseEvent, type RegisteredEnterprise } from '../domain/enterprise.decider';

/** An enterprise's stream as recorded, and its state; NotFoundError for an unknown enterprise. */
export async function loadEnterprise(store: EventStore, creditCode: string): Promise<{ state: RegisteredEnterprise; recorded: RecordedEvent[] }> {
  const recorded = await store.readStream(enterpriseReopeningStreams.enterprise(creditCode));
  const state = foldEvents(
    enterpriseDecider,
    recorded.map((e) => ({ type: e.type, data: e.data }) as EnterpriseEvent),
  );
  if (state.status === 'unregistered') throw new NotFoundError(`Unknown enterprise ${creditCode}`);
  return { state, recorded };
}
