import { CANVASS_STREAM_PREFIX, CANVASS_TOPIC } from '@city/contracts';
import type { ContextReadModel } from '../../read-model/context-read-model';
import { figureReadModel } from '../../read-model/figures/figure-read-model';
import { CANVASS_CONTEXT, CanvassProjection } from './canvass.projection';
import { emptyCanvassDay, emptyCanvassFigures, foldCanvassDay, foldCanvassFigures, type CanvassDayFigures, type CanvassFigures } from './canvass-figures';
import { LEVEL_METRICS } from './canvass-metrics';

/** The canvass context's part of the operations-center read models. */
export function canvassReadModel(): ContextReadModel<CanvassFigures, CanvassDayFigures> {
  return figureReadModel({
    key: CANVASS_CONTEXT,
    topic: CANVASS_TOPIC,
    streamPrefix: CANVASS_STREAM_PREFIX,
    cloudEventSource: '/city/canvass',
    panel: 'canvass.js',
    projections: [new CanvassProjection()],
    // Districts register their subdistricts through canvass.
    carriesReferenceData: true,
    folds: { fold: foldCanvassFigures, levels: LEVEL_METRICS, foldDay: foldCanvassDay, empty: emptyCanvassFigures, emptyDay: emptyCanvassDay },
  });
}
