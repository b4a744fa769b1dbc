// What the service's long-running work reports for monitoring: finished imports and rebuilt rollups. The domain
// tells; whoever watches (the HTTP edge's metrics plugin turns these into Prometheus metrics) listens. The domain knows no
// metrics library and no HTTP; an event carries counts and durations, never a row's content.
import { listeners } from '../../../shared/listeners.js';

export type OperationEvent =
  | {
    type: 'import';
    kind: string;
    /** committed, a dry run (rolled back on purpose), rejected rows (nothing written) or failed otherwise */
    outcome: 'committed' | 'dry-run' | 'rejected' | 'failed';
    rowsRead: number;
    durationMs: number;
  }
  | {
    type: 'rollup-rebuild';
    /** which derived rollup: the hexagon × month counts of the hot spots, or the area × month counts of the stats */
    rollup: 'hex-month' | 'area-month';
    durationMs: number;
  };
export type OperationListener = (e: OperationEvent) => void;

const operationListeners = listeners<OperationEvent>();

/** Hears every operation event of this process; returns the unsubscribe. */
export const onOperation = (listener: OperationListener): (() => void) => operationListeners.on(listener);

/** Tells the listeners (one that throws does not stop the others, nor the work that reports). */
export const reportOperation = (e: OperationEvent): void => operationListeners.tell(e);
