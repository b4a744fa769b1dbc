// One category of a source as /api/categories lists it (list-categories.ts): the one schema, the type derived from it.
import { z } from 'zod';

export const categoryEntrySchema = z.object({
  code: z.string(), label_sv: z.string(), label_en: z.string(), group: z.string().nullable(),
  group_label_sv: z.string().nullable(), group_label_en: z.string().nullable(),
  labelled: z.boolean().describe('false: the code occurs in the data but has no declared label (import a categories file to name it)'),
});
export type CategoryEntry = z.infer<typeof categoryEntrySchema>;
