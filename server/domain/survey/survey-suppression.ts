// Which survey groups of one (wave, area, indicator) the public and staff may not see, and why. Pure.
//
// Primary: a group with fewer than minRespondents respondents is hidden.
// Complementary: the groups are partitions of 'all' — sex (female, male) and age bands (16-29, 30-44, …) — so with
// every group's value and respondents public, a hidden group is (all·n_all − Σ visible v·n) / n_hidden. Within each
// partition, when any group is hidden, the visible group with the fewest respondents is hidden too, again and again,
// until the hidden groups together hold at least minRespondents respondents or the whole partition is hidden: then
// neither one hidden group nor any pooled set of them below the minimum can be derived from 'all' minus the rest.
// When 'all' itself is hidden, every group is (a partition could otherwise be summed to it).
// A hidden group publishes no value, no CI and no respondents; callers show the reason.

export const SUPPRESSION_REASONS = ['primary', 'complementary'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];
export type GroupRespondents = { group: string; respondents: number };

const SEX = new Set(['female', 'male']);

/** The partition a group belongs to: 'all', 'sex', 'age' (codes such as 16-29 or 85+), else a partition of its own. */
export function partitionOf(group: string): string {
  if (group === 'all') return 'all';
  if (SEX.has(group)) return 'sex';
  if (/^\d/.test(group)) return 'age';
  return `other:${group}`;
}

/** The hidden groups of one (wave, area, indicator) with the reason; groups not in the map are shown. */
export function surveySuppression(groups: GroupRespondents[], minRespondents: number): Map<string, SuppressionReason> {
  const hidden = new Map<string, SuppressionReason>();
  for (const g of groups) if (g.respondents < minRespondents) hidden.set(g.group, 'primary');
  if (hidden.has('all')) {
    for (const g of groups) if (!hidden.has(g.group)) hidden.set(g.group, 'complementary');
    return hidden;
  }
  const parts = new Map<string, GroupRespondents[]>();
  for (const g of groups) {
    const p = partitionOf(g.group);
    if (p === 'all') continue;
    parts.set(p, [...(parts.get(p) ?? []), g]);
  }
  for (const members of parts.values()) {
    if (!members.some((g) => hidden.has(g.group))) continue;
    // smallest first; ties by code so the choice is stable
    const visible = members.filter((g) => !hidden.has(g.group)).sort((a, b) => a.respondents - b.respondents || a.group.localeCompare(b.group));
    let pooled = members.filter((g) => hidden.has(g.group)).reduce((s, g) => s + g.respondents, 0);
    for (const g of visible) {
      if (pooled >= minRespondents) break;
      hidden.set(g.group, 'complementary');
      pooled += g.respondents;
    }
  }
  return hidden;
}
