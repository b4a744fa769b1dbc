// Partners (samverkansparter) as the place and action-plan forms edit them: one per line, "organisation: role".
// The role is optional; only the first colon separates, so a role may hold colons and commas of its own.
export type Partner = { organisation: string; role: string };

export function parsePartners(text: string): Partner[] {
  return text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).map((l) => {
    const at = l.indexOf(':');
    return at < 0 ? { organisation: l, role: '' } : { organisation: l.slice(0, at).trim(), role: l.slice(at + 1).trim() };
  }).filter((p) => p.organisation);
}

export function formatPartners(partners: Partner[]): string {
  return partners.map((p) => (p.role ? `${p.organisation}: ${p.role}` : p.organisation)).join('\n');
}
