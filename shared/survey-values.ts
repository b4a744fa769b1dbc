// A survey value as people read it, for the browser and the server's documents alike: a share (0–1) as percent
// ("32 %"), a mean on its answer scale ("3,2 (1–5)"). `fmt` formats a number in the reader's language.
export type SurveyValueKind = 'share' | 'mean';

export function surveyValueText(v: number | null, kind: SurveyValueKind, scale: { min: number; max: number } | null, fmt: (n: number, digits: number) => string): string {
  if (v === null) return '–';
  if (kind === 'share') return `${fmt(v * 100, 0)} %`;
  return `${fmt(v, 1)}${scale ? ` (${fmt(scale.min, 0)}–${fmt(scale.max, 0)})` : ''}`;
}
