import { travellerHealthStreams } from '@city/contracts';
import { foldEvents, NotFoundError, type EventStore } from '@city/eventsourcing';
import { travellerHealthAccess } from '../domain/access-policy';
import { caseDecider, type CaseEvent } from '../domain/case.decider';
import type { Actor } from '../domain/command-context';

/** A case as it is now, with the stream version a client sends back. */
export interface CaseView {
  readonly caseId: string;
  readonly districtCode: string;
  readonly subdistrictCode: string;
  readonly subject: string;
  readonly status: 'open' | 'closed';
  readonly openedAt: string;
  readonly closedAt: string | null;
  readonly version: number;
}

/** Reads a case from its stream (a department's lists and figures belong in a read model in PostgreSQL, not here). */
export class CaseQueries {
  constructor(private readonly store: EventStore) {}

  async caseOf(actor: Actor, caseId: string): Promise<CaseView> {
    const recorded = await this.store.readStream(travellerHealthStreams.case(caseId));
    const events = recorded.map((e) => ({ type: e.type, data: e.data }) as CaseEvent);
    const state = foldEvents(caseDecider, events);
    if (state.status === 'none') throw new NotFoundError(`Unknown case ${caseId}`);
    const { districtCode, subdistrictCode, subject, openedAt } = state.opened;
    travellerHealthAccess.assert('read', actor, { district: districtCode, subdistrict: subdistrictCode });
    const closedAt = state.status === 'closed' ? state.closed.closedAt : null;
    return { caseId, districtCode, subdistrictCode, subject, status: state.status, openedAt, closedAt, version: recorded[recorded.length - 1].streamVersion };
  }
}
