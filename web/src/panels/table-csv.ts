// The map's table as CSV (what the map and legend show, the very numbers) and the note that travels with it. In
// Swedish: Swedish column names, ja/nej, decimal comma, ";" and a BOM (shared/csv-columns.ts, as the API's CSV);
// in English the API's field names, true/false, "," and a decimal point. The first line is always the header: the
// period, comparison period, source, disclosure rule and provenance go into the note (a second, plain-text file).
import type { ChoroData } from '../map/choropleth-data.js';
import { periodText } from '../state/period.js';
import type { State } from '../state/store.js';
import { csvBoolean, csvColumnName, type CsvLang } from '../../../shared/csv-columns.js';
import { addDays } from '../../../shared/dates.js';
import { lastDay, periodLabel } from '../../../shared/periods.js';
import { provenanceOf } from './provenance-line.js';
import { SOURCE_LABELS } from '../../../shared/sources.js';

type Period = { from: string; to: string };

export const TABLE_CSV_COLUMNS = ['areaId', 'code', 'name', 'value', 'count', 'population', 'ratePer1000', 'previousCount', 'rateRatio', 'rateRatioCiLow',
  'rateRatioCiHigh', 'changeSignificant', 'suppressed', 'ciLow', 'ciHigh', 'respondents', 'class'];

/** The period the numbers count: the API's (the public's is widened to whole months) or the one asked for. */
export function countedPeriod(d: ChoroData | null, period: Period): Period {
  const p = d?.meta?.period as Period | undefined;
  return p?.from && p.to ? p : period;
}

export function tableCsv(d: ChoroData, s: Pick<State, 'lang'>): string {
  const lang: CsvLang = s.lang === 'sv' ? 'sv' : 'en';
  const sep = lang === 'sv' ? ';' : ',';
  const num = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'boolean' ? csvBoolean(v, lang)
    : typeof v === 'number' ? (lang === 'sv' ? String(v).replace('.', ',') : String(v)) : String(v));
  const q = (v: string) => (/[";,\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [TABLE_CSV_COLUMNS.map((c) => q(csvColumnName(c, lang))).join(sep)];
  for (const f of d.geometry.features) {
    const id = Number(f.id);
    const v = d.values.get(id);
    const r = (v?.row ?? {}) as Record<string, unknown>;
    const p = f.properties as { code?: string; name?: string };
    lines.push([id, q(p?.code ?? ''), q(p?.name ?? ''), num(v?.value), num(r.count), num(r.population), num(r.ratePer1000), num(r.previousCount), num(r.rateRatio),
      num(r.rateRatioCiLow), num(r.rateRatioCiHigh), num(r.changeSignificant), num(v?.suppressed), num(v?.ciLow), num(v?.ciHigh), num(v?.respondents),
      q(num(v?.category ?? ''))].join(sep));
  }
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}

/** The note that goes with the CSV: what the numbers are, of which period, compared with what, under which disclosure rule, from which files. */
export function tableCsvNote(d: ChoroData, s: Pick<State, 'lang' | 'source' | 'metric' | 'areaSet'>, requested: Period, csvName: string): string {
  const sv = s.lang === 'sv';
  const lang = sv ? 'sv' : 'en';
  const period = countedPeriod(d, requested);
  const prev = d.meta?.previousPeriod as Period | undefined;
  const meta = (d.meta ?? {}) as Record<string, unknown>;
  const disclosure = (meta.disclosure as { description?: string } | undefined)?.description;
  const prov = meta.provenance as { incidentBatches?: { provider?: string; fileName?: string | null; importedAt?: string }[] } | undefined;
  const lines = [
    sv ? `Trygghetskarta – om filen ${csvName}` : `Trygghetskarta – about the file ${csvName}`,
    '',
    `${sv ? 'Källa' : 'Source'}: ${SOURCE_LABELS[s.source]?.[lang] ?? s.source}`,
    `${sv ? 'Mått' : 'Measure'}: ${s.metric}`,
    `${sv ? 'Områdesindelning' : 'Area set'}: ${s.areaSet}`,
    `${sv ? 'Period' : 'Period'}: ${periodText(period, lang)} (${period.from} – ${lastDay(period)}${sv ? ', båda dagarna medräknade' : ', both days included'})`,
  ];
  if (prev?.from && prev.to) lines.push(`${sv ? 'Jämförelseperiod' : 'Comparison period'}: ${periodText(prev, lang)} (${prev.from} – ${lastDay(prev)})`);
  if (d.survey) lines.push(`${sv ? 'Mätning' : 'Wave'}: ${d.survey.wave}; ${sv ? 'grupp' : 'group'}: ${d.survey.group}; ${sv ? `värden från färre än ${d.survey.minRespondents} svarande visas inte` : `values from fewer than ${d.survey.minRespondents} respondents are not shown`}`);
  if (disclosure) lines.push(`${sv ? 'Röjandeskydd (beskrivning från API:t)' : 'Disclosure control'}: ${disclosure}`);
  const { lastDay: until, synthetic } = provenanceOf(meta);
  if (until) lines.push(`${sv ? 'Data t.o.m.' : 'Data up to'}: ${periodLabel({ from: until, to: addDays(until, 1) }, lang)}`);
  if (synthetic) lines.push(sv ? 'Syntetiska exempeldata: händelserna är påhittade, inte verkliga brott.' : 'Synthetic sample data: the incidents are made up, not real crimes.');
  for (const b of prov?.incidentBatches ?? []) lines.push(`${sv ? 'Data' : 'Data'}: ${b.provider ?? ''} ${b.fileName ?? ''} (${sv ? 'importerad' : 'imported'} ${b.importedAt?.slice(0, 10) ?? '?'})`);
  lines.push('', sv
    ? 'Tomma celler: värdet är dolt (för få händelser eller svarande) eller saknas; kolumnen "dold" säger vilket. Decimaltecken: komma; fältavgränsare: semikolon.'
    : 'Empty cells: the value is hidden (too few events or respondents) or missing; the column "suppressed" says which. Decimal mark: point; field separator: comma.');
  return lines.join('\r\n') + '\r\n';
}
