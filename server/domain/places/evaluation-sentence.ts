// The plain-language summary of an evaluation, in Swedish and English, with the numbers the reader may see.
// When counts are suppressed for the viewer (privacy), the sentence gives the verdict without numbers.
import type { Verdict, VerdictReason } from './evaluation-verdict.js';

export type SentenceInput = {
  placeName: string; sourceLabel: { sv: string; en: string }; bufferMetres: number; controlName: string;
  verdict: Verdict; reason: VerdictReason; suppressed: boolean;
  place: { before: number; after: number } | null; buffer: { before: number; after: number } | null;
  daysBefore: number; daysAfter: number;
  placeRr: { ratio: number; ciLow: number; ciHigh: number } | null;
  bufferRr: { ratio: number; ciLow: number; ciHigh: number } | null;
};

const fmt = (lang: 'sv' | 'en', x: number, digits = 2) => new Intl.NumberFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(x);
const pct = (lang: 'sv' | 'en', rr: number) => `${rr < 1 ? '−' : '+'}${fmt(lang, Math.abs(rr - 1) * 100, 0)} %`;

const VERDICT_TEXT: Record<Verdict, { sv: string; en: string }> = {
  improved: { sv: 'en statistiskt säkerställd förbättring jämfört med kontrollområdet', en: 'a statistically significant improvement relative to the control area' },
  worsened: { sv: 'en statistiskt säkerställd försämring jämfört med kontrollområdet', en: 'a statistically significant worsening relative to the control area' },
  'no-detectable-change': { sv: 'ingen förändring som går att skilja från slumpen', en: 'no change that can be told apart from chance' },
  'displacement-suspected': { sv: 'misstänkt förflyttning: platsen minskade men zonen runt den ökade signifikant jämfört med kontrollområdet', en: 'suspected displacement: the place fell but the ring around it rose significantly relative to the control area' },
};

export function evaluationSentence(x: SentenceInput): { sv: string; en: string } {
  const out = { sv: '', en: '' };
  for (const lang of ['sv', 'en'] as const) {
    const src = x.sourceLabel[lang];
    if (x.reason === 'no-data-in-period') {
      out[lang] = lang === 'sv'
        ? `${x.placeName}: det finns inga data om ${src} för hela före- eller efterperioden ännu, så förändringen kan inte testas.`
        : `${x.placeName}: there are no data on ${src} for the whole before or after period yet, so the change cannot be tested.`;
      continue;
    }
    if (x.reason === 'no-control-incidents') {
      out[lang] = lang === 'sv'
        ? `${x.placeName}: kan inte utvärderas – kontrollområdet (${x.controlName}) saknar ${src} i en av perioderna. Resultat: ${VERDICT_TEXT[x.verdict].sv}.`
        : `${x.placeName}: cannot be evaluated – the control area (${x.controlName}) has no ${src} in one of the periods. Result: ${VERDICT_TEXT[x.verdict].en}.`;
      continue;
    }
    if (x.reason === 'no-incidents') {
      out[lang] = lang === 'sv'
        ? `${x.placeName}: inga ${src} i platsen eller i zonen på ${x.bufferMetres} m runt den, varken före eller efter – inget att utvärdera.`
        : `${x.placeName}: no ${src} in the place or in the ${x.bufferMetres} m ring around it, before or after – nothing to evaluate.`;
      continue;
    }
    if (x.suppressed || !x.place || !x.placeRr) {
      out[lang] = lang === 'sv'
        ? `${x.placeName}: för få händelser för att visa siffror offentligt. Testet på de verkliga antalen (${src}, jämfört med ${x.controlName}) visar ${VERDICT_TEXT[x.verdict].sv}.`
        : `${x.placeName}: too few incidents to show numbers publicly. The test on the true counts (${src}, compared with ${x.controlName}) shows ${VERDICT_TEXT[x.verdict].en}.`;
      continue;
    }
    const per = x.daysBefore === x.daysAfter ? '' : (lang === 'sv' ? ` (före: ${x.daysBefore} dagar, efter: ${x.daysAfter} dagar)` : ` (before: ${x.daysBefore} days, after: ${x.daysAfter} days)`);
    const r = x.placeRr;
    const ci = `${fmt(lang, r.ciLow)}–${fmt(lang, r.ciHigh)}`;
    let s = lang === 'sv'
      ? `${x.placeName}: ${src} i platsen gick från ${x.place.before} till ${x.place.after}${per}. Jämfört med utvecklingen i ${x.controlName} är det ${pct(lang, r.ratio)} (kvot ${fmt(lang, r.ratio)}, 95 % KI ${ci}): ${VERDICT_TEXT[x.verdict].sv}.`
      : `${x.placeName}: ${src} in the place went from ${x.place.before} to ${x.place.after}${per}. Relative to the trend in ${x.controlName} that is ${pct(lang, r.ratio)} (rate ratio ${fmt(lang, r.ratio)}, 95 % CI ${ci}): ${VERDICT_TEXT[x.verdict].en}.`;
    if (x.buffer && x.bufferRr) {
      const b = x.bufferRr;
      const bci = `${fmt(lang, b.ciLow)}–${fmt(lang, b.ciHigh)}`;
      s += lang === 'sv'
        ? ` I zonen ${x.bufferMetres} m runt platsen: från ${x.buffer.before} till ${x.buffer.after} (kvot ${fmt(lang, b.ratio)}, 95 % KI ${bci}).`
        : ` In the ${x.bufferMetres} m ring around the place: from ${x.buffer.before} to ${x.buffer.after} (rate ratio ${fmt(lang, b.ratio)}, 95 % CI ${bci}).`;
    }
    out[lang] = s;
  }
  return out;
}
