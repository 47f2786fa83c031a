import { enterpriseReopeningStreams, type EnterpriseFacts } from '@city/contracts';
import { foldEvents, NotFoundError, type EventStore } from '@city/eventsourcing';
import { enterpriseReopeningAccess, enterpriseScope } from '../domain/access-policy';
import { enterpriseDecider, type EnterpriseEvent } from '../domain/enterprise.decider';
import type { Actor } from '../domain/command-context';

/** An enterprise as it is now, with the stream version a client sends back. */
export interface EnterpriseView extends EnterpriseFacts {
  readonly name: string;
  readonly officeBuildingUnitId: string | null;
  readonly registeredAt: string;
  readonly version: number;
}

/** Reads an enterprise from its stream (lists and figures belong in read models, not here). */
export class EnterpriseQueries {
  constructor(private readonly store: EventStore) {}

  async enterpriseOf(actor: Actor, creditCode: string): Promise<EnterpriseView> {
    const recorded = await this.store.readStream(enterpriseReopeningStreams.enterprise(creditCode));
    const state = foldEvents(
      enterpriseDecider,
      recorded.map((e) => ({ type: e.type, data: e.data }) as EnterpriseEvent),
    );
    if (state.status === 'unregistered') throw new NotFoundError(`Unknown enterprise ${creditCode}`);
    enterpriseReopeningAccess.assert('read', actor, enterpriseScope(state.facts));
    const r = state.registration;
    return {
      ...state.facts,
      name: r.name,
      officeBuildingUnitId: r.officeBuildingUnitId ?? null,
      registeredAt: r.registeredAt,
      version: recorded[recorded.length - 1].streamVersion,
    };
  }
}
