// The disclosure control an answer was given under (meta.disclosure): the one schema, the type derived from it.
import { z } from 'zod';

export const disclosureMethodSchema = z.object({
  method: z.enum(['exact', 'cell-key']),
  k: z.number().describe('counts below k are never published (null)'),
  roundingBase: z.number().nullable().describe('published counts are multiples of this (null: exact)'),
  maxNoise: z.number().describe('the largest noise added before rounding'),
  maxError: z.number().describe('the largest difference of a published count from the true one'),
  periods: z.string(), description: z.string(),
}).describe('the disclosure control applied to this answer (README: Privacy and statistics)');
export type DisclosureMethod = z.infer<typeof disclosureMethodSchema>;
