// Which import batches an answer's numbers come from (meta.provenance): the one schema, the types derived from it.
import { z } from 'zod';

export const batchRefSchema = z.object({
  id: z.number(), kind: z.string(), provider: z.string(), fileName: z.string().nullable(), importedAt: z.string(),
  incidents: z.number().optional(), firstOccurred: z.string().optional(), lastOccurred: z.string().optional(),
});
export type BatchRef = z.infer<typeof batchRefSchema>;

export const provenanceSchema = z.object({ incidentBatches: z.array(batchRefSchema), areaSetBatch: batchRefSchema.nullable(), populationBatches: z.array(batchRefSchema) });
export type Provenance = z.infer<typeof provenanceSchema>;
