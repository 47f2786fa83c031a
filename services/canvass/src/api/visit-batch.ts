import { Logger } from '@nestjs/common';
import { httpErrorOf } from '@city/observability';
import type { CommandReceipt } from '../application/canvass-commands';
import type { VisitBatchItemView, VisitBatchResultView } from './dto/receipts.dto';

const logger = new Logger('VisitBatch');

/**
 * The answer to a batch of visits: each visit answered as the single-visit
 * endpoint would have answered it, so the phone can drop what was recorded
 * and keep what was refused, with the reason to show the official.
 */
export function visitBatchResult(
  visits: readonly { readonly unitId: string; readonly visitId: string }[],
  outcomes: readonly PromiseSettledResult<CommandReceipt & { readonly visitId: string }>[],
  /** Told of each refused visit (403, or 404 for a unit the official may not open), as the error filter is told of a refused request. */
  onRefusal?: (reason: string) => void,
): VisitBatchResultView {
  const results = visits.map((visit, i): VisitBatchItemView => {
    const outcome = outcomes[i];
    if (outcome.status === 'fulfilled') {
      const receipt = { unitId: visit.unitId, ...outcome.value };
      return { unitId: visit.unitId, visitId: visit.visitId, status: receipt.eventsAppended > 0 ? 201 : 200, receipt };
    }
    const { status, body, isServerError, refusal } = httpErrorOf(outcome.reason);
    if (isServerError) logger.error({ err: outcome.reason, unitId: visit.unitId }, 'A visit of a batch failed with a server error');
    if (refusal !== undefined) {
      onRefusal?.(refusal);
      logger.warn({ refusal: { status, reason: refusal, unitId: visit.unitId } }, `A visit of a batch was refused (${status} ${refusal})`);
    }
    return { unitId: visit.unitId, visitId: visit.visitId, status, error: body };
  });
  return {
    recorded: results.filter((r) => r.status === 201).length,
    alreadyRecorded: results.filter((r) => r.status === 200).length,
    refused: results.filter((r) => r.status >= 400).length,
    results,
  };
}
