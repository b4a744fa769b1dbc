// Worker thread of analysis-pool.ts: runs one analysis job at a time (analyse-cells.ts) and posts the result back.
// Loaded as TypeScript through tsx (the pool starts it with --import tsx).
import { parentPort } from 'node:worker_threads';
import { analyseJob, type AnalysisJob } from './analyse-cells.js';

parentPort!.on('message', (job: AnalysisJob) => {
  try {
    const out = analyseJob(job);
    const transfer = [out.neighbours.buffer, ...out.runs.flatMap((r) => [r.z.buffer, r.p.buffer, r.pAdjusted.buffer])] as ArrayBuffer[];
    parentPort!.postMessage({ ok: true, out }, transfer);
  } catch (e) {
    parentPort!.postMessage({ ok: false, message: (e as Error).message });
  }
});
