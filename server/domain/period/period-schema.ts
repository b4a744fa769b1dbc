// A counted period as answers give it (meta.period, meta.previousPeriod …): from inclusive, to exclusive, local days
// (Europe/Stockholm), and its length in days. The one schema: the type is derived from it.
import { z } from 'zod';

export const periodSchema = z.object({ from: z.string(), to: z.string(), days: z.number() });
export type Period = z.infer<typeof periodSchema>;
