// A page of the audit trail as /api/audit serves it (list-audit.ts): the one schema, the types derived from it.
import { z } from 'zod';

export const auditEntrySchema = z.object({
  id: z.number(), at: z.string(), actor: z.string(), role: z.string(), action: z.string(), target: z.string().nullable(), detail: z.unknown(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditPageSchema = z.object({ total: z.number(), entries: z.array(auditEntrySchema) });
export type AuditPage = z.infer<typeof auditPageSchema>;
