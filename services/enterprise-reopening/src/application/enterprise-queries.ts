import type { DailyWorkforceReported, EnterpriseFacts, InspectionRecorded } from '@city/contracts';
import type { EventStore } from '@city/eventsourcing';
import { enterpriseReopeningAccess, enterpriseScope } from '../domain/access-policy';
import type { Actor } from '../domain/command-context';
import { loadEnterprise } from './enterprise-state';

export interface DeclarationView {
  readonly declarationId: string;
  readonly plannedReopeningDate: string;
  readonly guidelineVersion: number;
  readonly confirmedMeasures: readonly string[];
  readonly inspections: number;
  /** Items the last inspection asked to put right (empty otherwise). */
  readonly pendingItems: readonly string[];
  readonly rectificationDueDate: string | null;
}

export interface DailyReportView {
  readonly reportDate: string;
  readonly onSiteHeadcount: number;
  readonly capacityPercent: number;
  readonly revision: number;
  readonly reportedAt: string;
  /** Every report of the day, first to last (the last is the one that counts). */
  readonly history: readonly { readonly onSiteHeadcount: number; readonly capacityPercent: number; readonly reportedAt: string; readonly reportedBy: string }[];
}

/** An enterprise as it is now, with the stream version a client sends back. */
export interface EnterpriseView extends EnterpriseFacts {
  readonly name: string;
  readonly officeBuildingUnitId: string | null;
  readonly registeredAt: string;
  readonly declaration: DeclarationView | null;
  readonly inspections: readonly Pick<
    InspectionRecorded['data'],
    'inspectionId' | 'declarationId' | 'outcome' | 'round' | 'rectificationItems' | 'inspectedBy' | 'inspectedAt'
  >[];
  readonly reopenedOn: string | null;
  readonly dailyReports: readonly DailyReportView[];
  readonly version: number;
}

/** Reads an enterprise from its stream (lists and figures across enterprises belong in read models, not here). */
export class EnterpriseQueries {
  constructor(private readonly store: EventStore) {}

  async enterpriseOf(actor: Actor, creditCode: string): Promise<EnterpriseView> {
    const { state, recorded } = await loadEnterprise(this.store, creditCode);
    enterpriseReopeningAccess.assert('read', actor, enterpriseScope(state.facts));
    const r = state.registration;
    const d = state.declaration;
    const reports = recorded.filter((e) => e.type === 'DailyWorkforceReported').map((e) => e.data as DailyWorkforceReported['data']);
    const days = [...new Set(reports.map((x) => x.reportDate))].sort().reverse();
    return {
      ...state.facts,
      name: r.name,
      officeBuildingUnitId: r.officeBuildingUnitId ?? null,
      registeredAt: r.registeredAt,
      declaration:
        d === null
          ? null
          : {
              declarationId: d.declaration.declarationId,
              plannedReopeningDate: d.declaration.plannedReopeningDate,
              guidelineVersion: d.declaration.guidelineVersion,
              confirmedMeasures: d.declaration.confirmedMeasures,
              inspections: d.rounds,
              pendingItems: d.pendingItems,
              rectificationDueDate: d.rectificationDueDate,
            },
      inspections: recorded
        .filter((e) => e.type === 'InspectionRecorded')
        .map((e) => {
          const i = e.data as InspectionRecorded['data'];
          return {
            inspectionId: i.inspectionId,
            declarationId: i.declarationId,
            outcome: i.outcome,
            round: i.round,
            rectificationItems: i.rectificationItems,
            inspectedBy: i.inspectedBy,
            inspectedAt: i.inspectedAt,
          };
        }),
      reopenedOn: state.reopenedOn,
      dailyReports: days.map((day) => {
        const history = reports.filter((x) => x.reportDate === day);
        const last = history[history.length - 1];
        return {
          reportDate: day,
          onSiteHeadcount: last.onSiteHeadcount,
          capacityPercent: last.capacityPercent,
          revision: last.revision,
          reportedAt: last.reportedAt,
          history: history.map((x) => ({
            onSiteHeadcount: x.onSiteHeadcount,
            capacityPercent: x.capacityPercent,
            reportedAt: x.reportedAt,
            reportedBy: x.reportedBy,
          })),
        };
      }),
      version: recorded[recorded.length - 1].streamVersion,
    };
  }
}
