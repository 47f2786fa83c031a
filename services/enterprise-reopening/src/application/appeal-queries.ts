import { enterpriseReopeningStreams, type AppealEvent } from '@city/contracts';
import { assertNever, foldEvents, NotFoundError, type EventStore } from '@city/eventsourcing';
import { enterpriseReopeningAccess, enterpriseScope } from '../domain/access-policy';
import { appealDecider } from '../domain/appeal.decider';
import type { Actor } from '../domain/command-context';

export interface AppealView {
  readonly appealId: string;
  readonly creditCode: string;
  readonly districtCode: string;
  readonly subdistrictCode: string;
  readonly department: string;
  readonly category: string;
  readonly subject: string;
  readonly status: 'open' | 'answered' | 'closed';
  readonly dueAt: string;
  readonly escalated: boolean;
  readonly answer: string | null;
  readonly filedAt: string;
  /** What happened to it, oldest first. */
  readonly history: readonly { readonly type: string; readonly at: string; readonly by: string | null }[];
  readonly version: number;
}

/** Reads an appeal from its stream: the enterprise that filed it, its district and the commission see it. */
export class AppealQueries {
  constructor(private readonly store: EventStore) {}

  async appealOf(actor: Actor, appealId: string): Promise<AppealView> {
    const recorded = await this.store.readStream(enterpriseReopeningStreams.appeal(appealId));
    const events = recorded.map((e) => ({ type: e.type, data: e.data }) as AppealEvent);
    const state = foldEvents(appealDecider, events);
    if (state.status === 'none') throw new NotFoundError(`Unknown appeal ${appealId}`);
    enterpriseReopeningAccess.assert('read', actor, enterpriseScope(state.facts));
    const f = state.filed;
    return {
      appealId,
      creditCode: f.creditCode,
      districtCode: f.districtCode,
      subdistrictCode: f.subdistrictCode,
      department: f.department,
      category: f.category,
      subject: f.subject,
      status: state.status,
      dueAt: state.dueAt,
      escalated: state.escalatedFor === state.dueAt,
      answer: state.answer,
      filedAt: f.filedAt,
      history: events.map(historyLine),
      version: recorded[recorded.length - 1].streamVersion,
    };
  }
}

function historyLine(e: AppealEvent): { type: string; at: string; by: string | null } {
  switch (e.type) {
    case 'AppealFiled':
      return { type: e.type, at: e.data.filedAt, by: e.data.filedBy };
    case 'AppealEscalated':
      return { type: e.type, at: e.data.escalatedAt, by: null };
    case 'AppealAnswered':
      return { type: e.type, at: e.data.answeredAt, by: e.data.answeredBy };
    case 'AppealClosed':
      return { type: e.type, at: e.data.closedAt, by: e.data.closedBy };
    case 'AppealReopened':
      return { type: e.type, at: e.data.reopenedAt, by: e.data.reopenedBy };
    default:
      return assertNever(e, 'appeal event');
  }
}
