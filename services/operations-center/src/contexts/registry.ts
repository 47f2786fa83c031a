import type { Type } from '@nestjs/common';
import type { ContextReadModel } from '../read-model/context-read-model';
import { CanvassDayFiguresDto, CanvassFiguresDto } from './canvass/canvass-figures.dto';
import { canvassReadModel } from './canvass/canvass-read-model';
import { EnterpriseReopeningDayFiguresDto, EnterpriseReopeningFiguresDto } from './enterprise-reopening/enterprise-reopening-figures.dto';
import { enterpriseReopeningReadModel } from './enterprise-reopening/enterprise-reopening-read-model';
import { PolicyReliefDayFiguresDto, PolicyReliefFiguresDto } from './policy-relief/policy-relief-figures.dto';
import { policyReliefReadModel } from './policy-relief/policy-relief-read-model';
import { TravellerHealthDayFiguresDto, TravellerHealthFiguresDto } from './traveller-health/traveller-health-figures.dto';
import { travellerHealthReadModel } from './traveller-health/traveller-health-read-model';

/** A context of the operations center: its read model, and the OpenAPI description of its sections. */
export interface OperationsContext {
  /** Property name of its section in every answer; the same as its read model's `key`. */
  readonly key: string;
  readonly readModel: () => ContextReadModel;
  readonly openApi: {
    readonly description: string;
    readonly figures: Type<unknown>;
    readonly dayFigures: Type<unknown>;
  };
}

/**
 * Every context of the operations center, listed once. The module's default
 * contexts, the OpenAPI sections (SectionsDto, DaySectionsDto), the rebuild
 * CLI and the dashboard's panel scripts all follow this list: a new context is
 * one entry here and its own folder beside canvass/.
 */
export const OPERATIONS_CONTEXTS: readonly OperationsContext[] = [
  {
    key: 'canvass',
    readModel: canvassReadModel,
    openApi: { description: 'Canvass ("five responsibilities, one network") figures.', figures: CanvassFiguresDto, dayFigures: CanvassDayFiguresDto },
  },
  {
    key: 'enterpriseReopening',
    readModel: enterpriseReopeningReadModel,
    openApi: { description: 'Enterprise reopening figures.', figures: EnterpriseReopeningFiguresDto, dayFigures: EnterpriseReopeningDayFiguresDto },
  },
  {
    key: 'policyRelief',
    readModel: policyReliefReadModel,
    openApi: {
      description:
        'Policy relief figures: applications, approvals, rejections, money granted and paid by measure and area against budget, days from application to money.',
      figures: PolicyReliefFiguresDto,
      dayFigures: PolicyReliefDayFiguresDto,
    },
  },
  {
    key: 'travellerHealth',
    readModel: travellerHealthReadModel,
    openApi: { description: 'Traveller health figures.', figures: TravellerHealthFiguresDto, dayFigures: TravellerHealthDayFiguresDto },
  },
];

export function defaultContexts(): ContextReadModel[] {
  return OPERATIONS_CONTEXTS.map((c) => c.readModel());
}

export function contextByKey(key: string): OperationsContext | undefined {
  return OPERATIONS_CONTEXTS.find((c) => c.key === key);
}
