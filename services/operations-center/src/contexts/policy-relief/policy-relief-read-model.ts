import { POLICY_RELIEF_STREAM_PREFIX, POLICY_RELIEF_TOPIC } from '@city/contracts';
import type { ContextReadModel } from '../../read-model/context-read-model';
import { figureReadModel } from '../../read-model/figures/figure-read-model';
import { POLICY_RELIEF_CONTEXT, PolicyReliefProjection } from './policy-relief.projection';
import {
  POLICY_RELIEF_LEVELS,
  emptyPolicyReliefDay,
  emptyPolicyReliefFigures,
  foldPolicyReliefDay,
  foldPolicyReliefFigures,
  type PolicyReliefDayFigures,
  type PolicyReliefFigures,
} from './policy-relief-figures';

/** The policy-relief context's part of the operations-center read models. */
export function policyReliefReadModel(): ContextReadModel<PolicyReliefFigures, PolicyReliefDayFigures> {
  return figureReadModel({
    key: POLICY_RELIEF_CONTEXT,
    topic: POLICY_RELIEF_TOPIC,
    streamPrefix: POLICY_RELIEF_STREAM_PREFIX,
    cloudEventSource: '/city/policy-relief',
    panel: 'policy-relief.js',
    projections: [new PolicyReliefProjection()],
    folds: {
      fold: foldPolicyReliefFigures,
      levels: POLICY_RELIEF_LEVELS,
      foldDay: foldPolicyReliefDay,
      empty: emptyPolicyReliefFigures,
      emptyDay: emptyPolicyReliefDay,
    },
  });
}
