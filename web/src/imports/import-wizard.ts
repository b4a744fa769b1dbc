// The import wizard (issue 19, analysts and admins): choose or drop a file, the kind (suggested from the file), the
// column mapping (pre-filled from the server's suggestion: each target field's column, CRS, date format, decimal mark,
// and the file's unknown category values mapped to our codes or left to be rejected), the preview (the first rows as
// they will be stored, valid / rejected counts, every rejected row with its line and reason, what a commit would
// insert / update / leave unchanged, a small map of where the rows fall — or, for boundaries, of the polygons as a
// commit would store them, the ones outside the region in red), then the commit — nothing is written before
// it — with "skip invalid rows", and the result. A confirmed mapping may be saved as a profile; a saved profile made
// for the same columns is offered (and applied when chosen).
import type { ExpressionSpecification, Map as MlMap } from 'maplibre-gl';
import { AREA_KINDS, COUNT_KINDS, IMPORT_TARGETS, MAPPING_CRS, MAPPING_DATE_FORMATS, guessImportKind } from '../../../shared/import-targets.js';
import { SOURCES } from '../../../shared/sources.js';
import { ApiError, api, qs } from '../api/client.js';
import { capabilities } from '../api/capabilities.js';
import { fmt, getLang, t } from '../i18n/index.js';
import { createMap } from '../map/base-map.js';
import { $, $$, esc } from '../panels/dom.js';
import { commitImportWithProgress, previewImport, saveProfile, type AreaMapPreview, type ColumnMapping, type ImportParams, type ImportPreview, type RowError } from './import-api.js';
import { outsidePointOf, swerefToWgs84 } from './sweref.js';

/** Rejected rows listed in the preview (the count says how many there are in all). */
export const ERRORS_SHOWN = 200;
const ACCEPT = '.csv,.txt,.tsv,.xlsx,.geojson,.json,.jsonl,.zip';
/** The mini map's colours: the rows (or areas) in the region, and the ones outside it. */
const IN_COLOUR = '#3f007d', OUT_COLOUR = '#c00000';
const LEVELS = ['custom', 'kommun', 'stadsdelsomrade', 'stadsdel', 'basomrade', 'valdistrikt', 'county'];

type Category = { code: string; label_sv: string; label_en: string };
type State = { file: File | null; kindChosen: boolean; preview: ImportPreview | null; mapping: ColumnMapping | null; params: ImportParams; codes: Map<string, Category[]>; map: MlMap | null };

/** A text of the dictionary, or `fallback` when the key has none (target fields and kinds the server adds later). */
function tr(key: string, fallback: string): string { const s = t(key); return s === key ? fallback : s; }
export const kindLabel = (k: string) => tr(`imp.kind.${k}`, k);
const fieldLabel = (f: string) => tr(`imp.field.${f}`, f);

/** Key order does not matter when comparing mappings. */
function canonical(m: ColumnMapping | null): string {
  if (!m) return 'null';
  const sort = (o: Record<string, string> | undefined) => (o ? Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b))) : undefined);
  return JSON.stringify({ columns: sort(m.columns), crs: m.crs ?? null, dateFormat: m.dateFormat ?? null, decimalMark: m.decimalMark ?? null, values: sort(m.values && Object.keys(m.values).length ? m.values : undefined) ?? null });
}

/** The first line of a text file split on its delimiter (for the kind's suggestion before anything is sent). */
async function csvHeader(file: File): Promise<string[]> {
  if (!/\.(csv|txt|tsv)$/i.test(file.name)) return [];
  const first = (await file.slice(0, 8192).text()).replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '';
  const delim = [';', '\t', ','].find((d) => first.includes(d)) ?? ',';
  return first.split(delim).map((h) => h.replace(/^"|"$/g, '').trim());
}

export function openImportWizard(dialog: HTMLDialogElement, onImported: () => void): void {
  const kinds = capabilities().importKinds;
  const st: State = { file: null, kindChosen: false, preview: null, mapping: null, params: {}, codes: new Map(), map: null };
  dialog.classList.add('wide');
  dialog.innerHTML = `<div class="dialog-inner import-wizard"><header class="panel-head"><h2 id="dlg-title">${t('imp.title')}</h2><button type="button" class="icon-btn" data-close aria-label="${t('panel.close')}">✕</button></header>
    <div class="dialog-body">
      <form id="imp-file-form" novalidate>
        <h3>${t('imp.step1')}</h3>
        <div class="drop-zone" id="imp-drop">
          <label class="field"><span>${t('imp.file')}</span><input type="file" id="imp-file" name="file" accept="${ACCEPT}" aria-describedby="imp-file-hint" autofocus></label>
          <p class="hint" id="imp-file-hint">${t('imp.fileHint')}</p>
        </div>
        <label class="field"><span>${t('imp.kind')}</span><select id="imp-kind" name="kind" aria-describedby="imp-kind-hint">${kinds.map((k) => `<option value="${esc(k)}"${k === 'crimes' ? ' selected' : ''}>${esc(kindLabel(k))}</option>`).join('')}</select></label>
        <p class="hint" id="imp-kind-hint" aria-live="polite"></p>
        <fieldset class="field imp-grid" id="imp-area-opts" hidden><legend>${t('imp.areaOpts')}</legend>
          <label class="field"><span>${t('imp.areaSet')}</span><input name="areaSet" pattern="[a-z0-9][a-z0-9_\\-]{0,62}" maxlength="63" aria-describedby="imp-areaset-hint"></label>
          <p class="hint" id="imp-areaset-hint">${t('imp.areaSetHint')}</p>
          <label class="field"><span>${t('imp.areaName')}</span><input name="name" maxlength="200"></label>
          <label class="field"><span>${t('imp.level')}</span><select name="level">${LEVELS.map((l) => `<option value="${l}">${esc(tr(`imp.level.${l}`, l))}</option>`).join('')}</select></label>
          <label class="field"><span>${t('imp.vintage')}</span><input name="vintage" inputmode="numeric" pattern="\\d{4}" maxlength="4"></label>
          <label class="field"><span>${t('imp.codeProperty')}</span><input name="codeProperty" maxlength="100"></label>
          <label class="field"><span>${t('imp.nameProperty')}</span><input name="nameProperty" maxlength="100"></label>
        </fieldset>
        <fieldset class="field imp-grid" id="imp-count-opts" aria-describedby="imp-count-hint" hidden><legend>${t('imp.countOpts')}</legend>
          <label class="field"><span>${t('imp.countAreaSet')}</span><select id="imp-count-set" name="areaSet"><option value="">–</option></select></label>
          <label class="field"><span>${t('imp.countSource')}</span><select id="imp-count-source" name="source">${SOURCES.map((s) => `<option value="${s}"${s === 'crimes' ? ' selected' : ''}>${esc(t(`source.${s}`))}</option>`).join('')}</select></label>
          <p class="hint" id="imp-count-hint">${t('imp.countOptsHint')}</p>
        </fieldset>
        <div class="btn-row"><button type="submit" class="btn primary" id="imp-preview">${t('imp.preview')}</button></div>
      </form>
      <p id="imp-msg" class="form-msg" role="status" aria-live="polite"></p>
      <section id="imp-mapping" aria-labelledby="imp-mapping-h" hidden></section>
      <section id="imp-check" aria-labelledby="imp-check-h" hidden></section>
      <section id="imp-commit" aria-labelledby="imp-commit-h" hidden></section>
    </div></div>`;
  dialog.setAttribute('aria-labelledby', 'dlg-title');
  const fileInput = $<HTMLInputElement>('#imp-file', dialog);
  const kindSel = $<HTMLSelectElement>('#imp-kind', dialog);
  const msg = (text: string, error = false) => { const m = $('#imp-msg', dialog); m.textContent = text; m.classList.toggle('error', error); };
  const kind = () => kindSel.value;
  const sections = ['#imp-mapping', '#imp-check', '#imp-commit'];
  const dropMap = () => { st.map?.remove(); st.map = null; delete window.__tk?.importMap; };
  const reset = () => { st.preview = null; st.mapping = null; dropMap(); for (const s of sections) { const el = $(s, dialog); el.hidden = true; el.innerHTML = ''; } };

  const close = () => dialog.close();
  dialog.querySelector('[data-close]')!.addEventListener('click', close);
  dialog.addEventListener('close', () => { dropMap(); dialog.classList.remove('wide'); }, { once: true });

  const showAreaOpts = () => { $('#imp-area-opts', dialog).hidden = !AREA_KINDS.has(kind()); $('#imp-count-opts', dialog).hidden = !COUNT_KINDS.has(kind()); };
  // the area sets counts may refer to (kommuner-ab …), as the map's menu lists them
  void api<{ id: string; name: string }[]>('/api/area-sets').then((sets) => {
    const sel = $<HTMLSelectElement>('#imp-count-set', dialog);
    sel.innerHTML = `<option value="">${esc(t('imp.chooseAreaSet'))}</option>${sets.map((a) => `<option value="${esc(a.id)}">${esc(a.name)} (${esc(a.id)})</option>`).join('')}`;
  }).catch(() => undefined);
  showAreaOpts();
  kindSel.addEventListener('change', () => { st.kindChosen = true; $('#imp-kind-hint', dialog).textContent = ''; showAreaOpts(); reset(); });

  async function chooseFile(file: File | null): Promise<void> {
    st.file = file;
    reset();
    msg('');
    if (!file) return;
    const guess = guessImportKind(file.name, await csvHeader(file), kinds);
    if (guess && !st.kindChosen) {
      kindSel.value = guess;
      showAreaOpts();
      $('#imp-kind-hint', dialog).textContent = t('imp.kindSuggested', { kind: kindLabel(guess) });
    }
  }
  fileInput.addEventListener('change', () => void chooseFile(fileInput.files?.[0] ?? null));
  const drop = $('#imp-drop', dialog);
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const files = e.dataTransfer?.files;
    if (!files?.length) return;
    fileInput.files = files;
    void chooseFile(files[0]);
  });

  /** The area options as query parameters; a message (and the focus) on the first missing one. */
  function areaParams(): ImportParams | null {
    if (COUNT_KINDS.has(kind())) {
      const set = $<HTMLSelectElement>('#imp-count-set', dialog);
      if (!set.value) { msg(t('imp.needCountAreaSet'), true); set.focus(); return null; }
      return { areaSet: set.value, source: $<HTMLSelectElement>('#imp-count-source', dialog).value };
    }
    if (!AREA_KINDS.has(kind())) return {};
    const box = $('#imp-area-opts', dialog);
    const out: ImportParams = {};
    for (const el of $$<HTMLInputElement | HTMLSelectElement>('input, select', box)) {
      const v = el.value.trim();
      if (!el.checkValidity()) { msg(t('imp.badOption', { field: el.closest('label')!.querySelector('span')!.textContent! }), true); el.focus(); return null; }
      if (v) out[el.name] = v;
    }
    if (!out.areaSet) { msg(t('imp.needAreaSet'), true); box.querySelector<HTMLInputElement>('[name=areaSet]')!.focus(); return null; }
    return out;
  }

  async function categoryCodes(k: string): Promise<Category[]> {
    // counts name the categories of the source they count
    const source = COUNT_KINDS.has(k) ? st.params.source ?? 'crimes' : k;
    if (source !== 'crimes' && source !== 'citizen-reports') return [];
    if (!st.codes.has(source)) st.codes.set(source, capabilities().categories ? await api<Category[]>(`/api/categories${qs({ source })}`).catch(() => []) : []);
    return st.codes.get(source)!;
  }

  async function runPreview(mapping: ColumnMapping | null, extra: ImportParams = {}, focus: 'mapping' | 'check' = 'mapping'): Promise<void> {
    if (!st.file) { msg(t('imp.needFile'), true); fileInput.focus(); return; }
    const params = areaParams();
    if (!params) return;
    const k = kind();
    const busy = $$<HTMLButtonElement>('button', dialog).filter((b) => !b.hasAttribute('data-close'));
    busy.forEach((b) => { b.disabled = true; });
    dialog.querySelector('.dialog-body')!.setAttribute('aria-busy', 'true');
    msg(t('imp.previewing'));
    try {
      let p = await previewImport(k, st.file, mapping, { ...params, ...extra });
      // a saved profile for these columns is offered, not applied unasked: show the suggestion first
      if (!mapping && !extra.profile && p.mappingFrom === 'profile' && p.suggestion) p = await previewImport(k, st.file, p.suggestion.mapping, params);
      st.preview = p;
      st.mapping = p.mapping;
      st.params = params;
      dropMap();
      const codes = await categoryCodes(k);
      renderMapping(p, codes);
      renderCheck(p);
      renderCommit(p);
      msg(p.problem ? t('imp.previewProblem') : t('imp.previewDone', { valid: fmt(p.valid), rejected: fmt(p.rejected) }), !!p.problem);
      const guess = !st.kindChosen && p.headers.length ? guessImportKind(st.file.name, p.headers, kinds) : null;
      if (guess && guess !== k) {
        const hint = $('#imp-kind-hint', dialog);
        hint.innerHTML = `${esc(t('imp.kindLooksLike', { kind: kindLabel(guess) }))} <button type="button" class="btn small" id="imp-switch-kind">${esc(t('imp.switchKind', { kind: kindLabel(guess) }))}</button>`;
        $('#imp-switch-kind', dialog).addEventListener('click', () => { kindSel.value = guess; st.kindChosen = true; hint.textContent = ''; showAreaOpts(); reset(); void runPreview(null); });
      }
      const target = focus === 'check' || !p.suggestion ? '#imp-check-h' : '#imp-mapping-h';
      $(target, dialog).focus();
    } catch (e) {
      reset();
      msg(t('imp.failed', { msg: (e as Error).message }), true);
    } finally {
      busy.forEach((b) => { b.disabled = false; });
      dialog.querySelector('.dialog-body')!.removeAttribute('aria-busy');
      const commit = dialog.querySelector<HTMLButtonElement>('#imp-commit-btn');
      if (commit && st.preview?.problem) commit.disabled = true;
    }
  }

  $('#imp-file-form', dialog).addEventListener('submit', (e) => { e.preventDefault(); void runPreview(null); });

  function renderMapping(p: ImportPreview, codes: Category[]): void {
    const sec = $('#imp-mapping', dialog);
    const spec = IMPORT_TARGETS[p.kind];
    if (!p.suggestion || !spec) { sec.hidden = true; sec.innerHTML = ''; return; }
    const m = p.mapping ?? { columns: {} };
    const fields = [...spec.fields, ...Object.keys(m.columns).filter((f) => !spec.fields.includes(f))];
    const from = p.mappingFrom === 'profile' ? t('imp.fromProfile', { name: p.profile ?? '' }) : p.mappingFrom === 'given' ? t('imp.fromGiven') : t('imp.fromSuggested');
    const format = [t('imp.format', { format: p.format.toUpperCase() }), p.delimiter ? t('imp.delimiter', { d: p.delimiter === '\t' ? 'tab' : p.delimiter }) : '', t('imp.decimalMarkIs', { d: p.decimalMark ?? '.' })].filter(Boolean).join(' · ');
    const offer = p.matchingProfiles.length
      ? `<div class="imp-offer" id="imp-profile-offer" role="group" aria-labelledby="imp-offer-text"><p id="imp-offer-text">${esc(t('imp.profileOffer', { n: p.matchingProfiles.length }))}</p>
          <div class="btn-row"><label class="field"><span>${t('imp.profile')}</span><select id="imp-profile-select">${p.matchingProfiles.map((x) => `<option${x.name === p.profile ? ' selected' : ''}>${esc(x.name)}</option>`).join('')}</select></label>
          <button type="button" class="btn" id="imp-use-profile">${t('imp.useProfile')}</button></div></div>`
      : '';
    const option = (v: string, label: string, sel: boolean) => `<option value="${esc(v)}"${sel ? ' selected' : ''}>${esc(label)}</option>`;
    const valueList = [...new Set([...p.suggestion.unknownCategories, ...Object.keys(m.values ?? {})])];
    const valueField = (v: string, i: number) => {
      const cur = m.values?.[v] ?? '';
      const input = codes.length
        ? `<select name="val" data-value="${esc(v)}" id="imp-val-${i}">${option('', t('imp.rejectValue'), !cur)}${codes.map((c) => option(c.code, `${getLang() === 'en' ? c.label_en : c.label_sv} (${c.code})`, c.code === cur)).join('')}</select>`
        : `<input name="val" data-value="${esc(v)}" id="imp-val-${i}" value="${esc(cur)}" maxlength="64" placeholder="${esc(t('imp.rejectValue'))}">`;
      return `<label class="field" for="imp-val-${i}"><span>”${esc(v)}”</span>${input}</label>`;
    };
    const target = spec.category ? fieldLabel(spec.category).toLowerCase() : '';
    sec.innerHTML = `<h3 id="imp-mapping-h" tabindex="-1">${t('imp.step2')}</h3>
      <p class="hint">${esc(format)}. ${esc(from)}</p>${offer}
      <form id="imp-map-form" novalidate>
        <div class="imp-grid">${fields.map((f) => `<label class="field"><span>${esc(fieldLabel(f))}${spec.required.includes(f) ? ' *' : ''}</span><select name="col" data-target="${esc(f)}">${option('', t('imp.noColumn'), !m.columns[f])}${p.headers.map((h) => option(h, h, m.columns[f] === h)).join('')}</select></label>`).join('')}</div>
        <p class="hint">${t('imp.requiredHint')}${p.suggestion.missing.length ? ` ${esc(t('imp.missing', { fields: p.suggestion.missing.map(fieldLabel).join(', ') }))}` : ''}</p>
        <div class="imp-grid">
          <label class="field"><span>${t('imp.crs')}</span><select name="crs">${option('', t('imp.crsDefault'), !m.crs)}${MAPPING_CRS.map((c) => option(c, tr(`imp.crs.${c}`, c), m.crs === c)).join('')}</select></label>
          <label class="field"><span>${t('imp.dateFormat')}</span><select name="dateFormat">${option('', t('imp.dateDefault'), !m.dateFormat)}${MAPPING_DATE_FORMATS.map((d) => option(d, tr(`imp.date.${d}`, d), m.dateFormat === d)).join('')}</select></label>
          <label class="field"><span>${t('imp.decimalMark')}</span><select name="decimalMark">${option('', t('imp.decimalDefault'), !m.decimalMark)}${option('.', t('imp.decimalPoint'), m.decimalMark === '.')}${option(',', t('imp.decimalComma'), m.decimalMark === ',')}</select></label>
        </div>
        ${valueList.length ? `<fieldset class="field imp-values" id="imp-values"><legend>${esc(t('imp.values', { field: target }))}</legend><p class="hint">${t('imp.valuesHint')}</p><div class="imp-grid">${valueList.map(valueField).join('')}</div></fieldset>` : ''}
        <div class="btn-row"><button type="submit" class="btn" id="imp-remap">${t('imp.previewAgain')}</button></div>
      </form>`;
    sec.hidden = false;
    $('#imp-map-form', sec).addEventListener('submit', (e) => { e.preventDefault(); void runPreview(readMapping(), {}, 'check'); });
    sec.querySelector('#imp-use-profile')?.addEventListener('click', () => void runPreview(null, { profile: $<HTMLSelectElement>('#imp-profile-select', sec).value }));
  }

  /** The mapping as the form shows it now. */
  function readMapping(): ColumnMapping | null {
    const form = dialog.querySelector<HTMLFormElement>('#imp-map-form');
    if (!form) return null;
    const m: ColumnMapping = { columns: {} };
    for (const s of $$<HTMLSelectElement>('select[name=col]', form)) if (s.value) m.columns[s.dataset.target!] = s.value;
    const get = (n: string) => form.querySelector<HTMLSelectElement>(`[name=${n}]`)?.value ?? '';
    if (get('crs')) m.crs = get('crs');
    if (get('dateFormat')) m.dateFormat = get('dateFormat');
    if (get('decimalMark')) m.decimalMark = get('decimalMark') as '.' | ',';
    const values = Object.fromEntries($$<HTMLSelectElement | HTMLInputElement>('[name=val]', form).filter((s) => s.value.trim()).map((s) => [s.dataset.value!, s.value.trim()]));
    if (Object.keys(values).length) m.values = values;
    return m;
  }

  function cell(v: unknown): string {
    if (v === null || v === undefined || v === '') return '–';
    if (typeof v === 'number') return esc(fmt(v, Number.isInteger(v) ? 0 : 2));
    return esc(typeof v === 'object' ? JSON.stringify(v) : String(v));
  }

  function renderCheck(p: ImportPreview): void {
    const sec = $('#imp-check', dialog);
    const counts: [string, number][] = [['rowsRead', p.rowsRead], ['valid', p.valid], ['rejected', p.rejected], ['wouldInsert', p.wouldInsert], ['wouldUpdate', p.wouldUpdate], ['wouldLeaveUnchanged', p.wouldLeaveUnchanged]];
    const cols = [...new Set(p.rows.flatMap((r) => Object.keys(r.row)))];
    const rows = p.rows.length
      ? `<div class="table-scroll imp-table" tabindex="0" role="region" aria-labelledby="imp-rows-cap"><table class="figures" id="imp-rows"><caption id="imp-rows-cap">${esc(t('imp.rowsCaption', { n: p.rows.length }))}</caption>
          <thead><tr><th scope="col">${t('imp.line')}</th>${cols.map((c) => `<th scope="col">${esc(c)}</th>`).join('')}</tr></thead>
          <tbody>${p.rows.map((r) => `<tr><th scope="row">${r.line}</th>${cols.map((c) => `<td>${cell(r.row[c])}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`
      : '';
    const shown = p.errors.slice(0, ERRORS_SHOWN);
    const errors = p.rejected
      ? `<div class="table-scroll imp-table" tabindex="0" role="region" aria-labelledby="imp-errors-cap"><table class="figures imp-errors" id="imp-errors"><caption id="imp-errors-cap">${esc(t(shown.length < p.rejected ? 'imp.errorsCaptionSome' : 'imp.errorsCaption', { n: fmt(p.rejected), shown: fmt(shown.length) }))}</caption>
          <thead><tr><th scope="col">${t('imp.line')}</th><th scope="col">${t('imp.column')}</th><th scope="col">${t('imp.reason')}</th></tr></thead>
          <tbody>${shown.map((e: RowError) => `<tr data-line="${e.line}"><th scope="row">${e.line}</th><td>${esc(e.sourceColumn ?? e.column ?? '–')}</td><td>${esc(e.reason)}</td></tr>`).join('')}</tbody></table></div>`
      : `<p class="hint" id="imp-no-errors">${t('imp.noErrors')}</p>`;
    const points = p.rows.map((r) => r.row as { x?: unknown; y?: unknown }).filter((r) => typeof r.x === 'number' && typeof r.y === 'number').map((r) => swerefToWgs84(r.x as number, r.y as number));
    const outside = p.errors.map((e) => outsidePointOf(e.reason)).filter((x): x is [number, number] => x !== null);
    const areas = p.areaMap?.geojson.features.length ? p.areaMap : null;
    const mapBox = areas ? areaMapBox(areas) : points.length || outside.length
      ? `<figure class="imp-map-fig"><div id="imp-map" class="imp-map" role="region" aria-label="${esc(t('imp.mapLabel', { n: points.length, out: outside.length }))}"></div>
          <figcaption class="hint"><span class="dot in" aria-hidden="true"></span> ${esc(t('imp.mapIn', { n: points.length }))} <span class="dot out" aria-hidden="true"></span> ${esc(t('imp.mapOut', { n: outside.length }))}</figcaption></figure>`
      : '';
    sec.innerHTML = `<h3 id="imp-check-h" tabindex="-1">${t('imp.step3')}</h3>
      ${p.problem ? `<p class="form-msg error" id="imp-problem">${esc(t('imp.problem', { msg: p.problem }))}</p>` : ''}
      <dl class="imp-counts">${counts.map(([k, n]) => `<div><dt>${t(`imp.count.${k}`)}</dt><dd data-count="${k}">${fmt(n)}</dd></div>`).join('')}</dl>
      <p class="hint">${t('imp.nothingWritten')}</p>
      ${rows}${mapBox}${errors}
      ${p.notes.length ? `<ul class="hint">${p.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}`;
    sec.hidden = false;
    if (areas) void drawAreaMap(areas);
    else if (mapBox) void drawMiniMap(points, outside);
  }

  /** The boundaries' map with its text alternative: how many areas, how many outside the region (the table of
   * counts and the notes say the same). */
  function areaMapBox(a: AreaMapPreview): string {
    const shown = a.geojson.features.length;
    return `<figure class="imp-map-fig"><div id="imp-map" class="imp-map" role="region" aria-label="${esc(t('imp.areaMapLabel', { n: fmt(a.total), out: fmt(a.outside) }))}"></div>
      <figcaption class="hint"><span class="dot area in" aria-hidden="true"></span> ${esc(t('imp.areaMapIn', { n: fmt(a.total - a.outside) }))} <span class="dot area out" aria-hidden="true"></span> ${esc(t('imp.areaMapOut', { n: fmt(a.outside) }))}${a.truncated ? ` ${esc(t('imp.areaMapSome', { shown: fmt(shown), n: fmt(a.total) }))}` : ''}</figcaption></figure>`;
  }

  /** The previewed polygons (fill and outline), fitted to their bounds — wherever they are: a wrong CRS may put them
   * far outside the region the main map is held to. */
  async function drawAreaMap(a: AreaMapPreview): Promise<void> {
    const el = dialog.querySelector<HTMLElement>('#imp-map');
    if (!el) return;
    try {
      let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
      const walk = (c: unknown): void => {
        if (typeof (c as number[])[0] === 'number') { const [x, y] = c as number[]; w = Math.min(w, x); e = Math.max(e, x); s = Math.min(s, y); n = Math.max(n, y); } else (c as unknown[]).forEach(walk);
      };
      for (const f of a.geojson.features) walk(f.geometry.coordinates);
      const map = await createMap(el, { lng: (w + e) / 2, lat: (s + n) / 2, zoom: 9 }, { interactive: true });
      if (!el.isConnected) { map.remove(); return; }
      st.map = map;
      window.__tk.importMap = map;
      map.setMaxBounds(null);
      map.once('load', () => {
        const colour: ExpressionSpecification = ['case', ['get', 'inRegion'], IN_COLOUR, OUT_COLOUR];
        map.addSource('imp-areas', { type: 'geojson', data: a.geojson });
        map.addLayer({ id: 'imp-areas-fill', type: 'fill', source: 'imp-areas', paint: { 'fill-color': colour, 'fill-opacity': 0.25 } });
        map.addLayer({ id: 'imp-areas-line', type: 'line', source: 'imp-areas', paint: { 'line-color': colour, 'line-width': 1.5 } });
        map.fitBounds([[w, s], [e, n]], { padding: 20, maxZoom: 14, animate: false });
        el.dataset.ready = '1';
      });
    } catch { el.remove(); /* the map is an aid: the counts and the notes say the same */ }
  }

  async function drawMiniMap(points: [number, number][], outside: [number, number][]): Promise<void> {
    const el = dialog.querySelector<HTMLElement>('#imp-map');
    if (!el) return;
    try {
      const all = [...points, ...outside];
      const c = all.reduce((a, p) => [a[0] + p[0] / all.length, a[1] + p[1] / all.length], [0, 0]);
      const map = await createMap(el, { lng: c[0], lat: c[1], zoom: 10 }, { interactive: true });
      if (!el.isConnected) { map.remove(); return; }
      st.map = map;
      map.once('load', () => {
        const feature = (p: [number, number], out: boolean) => ({ type: 'Feature' as const, properties: { out }, geometry: { type: 'Point' as const, coordinates: p } });
        map.addSource('imp-points', { type: 'geojson', data: { type: 'FeatureCollection', features: [...points.map((p) => feature(p, false)), ...outside.map((p) => feature(p, true))] } });
        map.addLayer({ id: 'imp-points', type: 'circle', source: 'imp-points', paint: { 'circle-radius': 5, 'circle-color': ['case', ['get', 'out'], OUT_COLOUR, IN_COLOUR], 'circle-stroke-color': '#fff', 'circle-stroke-width': 1 } });
        const lons = all.map((p) => p[0]), lats = all.map((p) => p[1]);
        if (all.length > 1) map.fitBounds([[Math.min(...lons), Math.min(...lats)], [Math.max(...lons), Math.max(...lats)]], { padding: 30, maxZoom: 14, animate: false });
        el.dataset.ready = '1';
      });
    } catch { el.remove(); /* the map is an aid: the table and the list say the same */ }
  }

  function renderCommit(p: ImportPreview): void {
    const sec = $('#imp-commit', dialog);
    const tabular = !!p.suggestion && !!IMPORT_TARGETS[p.kind];
    sec.innerHTML = `<h3 id="imp-commit-h">${t('imp.step4')}</h3>
      <label class="check"><input type="checkbox" id="imp-skip" aria-describedby="imp-skip-hint"> ${esc(t('imp.skipInvalid'))}</label>
      <p class="hint" id="imp-skip-hint">${esc(t('imp.skipHint', { n: fmt(p.rejected) }))}</p>
      <div class="btn-row"><button type="button" class="btn primary" id="imp-commit-btn"${p.problem ? ' disabled' : ''}>${t('imp.commit')}</button></div>
      <div class="imp-progress" id="imp-progress-box" hidden><label for="imp-progress">${t('imp.progressLabel')}</label> <progress id="imp-progress" max="${Math.max(1, p.rowsRead)}" value="0"></progress> <span id="imp-progress-text"></span></div>
      <div id="imp-result" tabindex="-1" role="status" aria-live="polite"></div>
      ${tabular ? `<form id="imp-profile-form" class="imp-profile" novalidate><label class="field"><span>${t('imp.profileName')}</span><input id="imp-profile-name" name="profileName" maxlength="100" required aria-describedby="imp-profile-hint"></label>
        <p class="hint" id="imp-profile-hint">${t('imp.profileHint')}</p>
        <div class="btn-row"><button type="submit" class="btn" id="imp-save-profile">${t('imp.saveProfile')}</button></div><p id="imp-profile-msg" class="form-msg" role="status" aria-live="polite"></p></form>` : ''}`;
    sec.hidden = false;
    $('#imp-commit-btn', sec).addEventListener('click', () => void commit());
    sec.querySelector('#imp-profile-form')?.addEventListener('submit', (e) => { e.preventDefault(); void storeProfile(); });
  }

  /** The form's mapping when it is the one previewed; otherwise a message asking for a new preview, and null. */
  function confirmedMapping(): { ok: boolean; mapping: ColumnMapping | null } {
    const current = st.preview?.suggestion ? readMapping() : null;
    if (current && canonical(current) !== canonical(st.mapping)) {
      msg(t('imp.changedSincePreview'), true);
      $('#imp-remap', dialog).focus();
      return { ok: false, mapping: null };
    }
    return { ok: true, mapping: st.mapping };
  }

  async function commit(): Promise<void> {
    if (!st.file || !st.preview) return;
    const { ok, mapping } = confirmedMapping();
    if (!ok) return;
    const skip = $<HTMLInputElement>('#imp-skip', dialog).checked;
    const btn = $<HTMLButtonElement>('#imp-commit-btn', dialog);
    const out = $('#imp-result', dialog);
    btn.disabled = true;
    out.textContent = t('imp.committing');
    try {
      const box = $('#imp-progress-box', dialog);
      const bar = $<HTMLProgressElement>('#imp-progress', dialog);
      box.hidden = false;
      // a profile's mapping, unchanged: committed by the profile's name, so the batch's provenance names it
      const profile = st.preview.mappingFrom === 'profile' ? st.preview.profile : null;
      const s = await commitImportWithProgress(st.preview.kind, st.file, profile ? null : mapping, skip, profile ? { ...st.params, profile } : st.params, (g) => {
        bar.value = Math.min(g.rowsRead, bar.max);
        $('#imp-progress-text', dialog).textContent = t('imp.progress', { n: fmt(g.rowsRead), total: fmt(bar.max), rate: fmt(g.rowsPerSecond) });
      });
      bar.value = bar.max;
      out.innerHTML = `<p><strong>${esc(t('imp.done', { batch: s.batchId ?? '–' }))}</strong></p>
        <dl class="imp-counts">${([['inserted', s.inserted], ['updated', s.updated], ['unchanged', s.unchanged], ['skipped', s.rejected + (s.skipped ?? 0)]] as const).map(([k, n]) => `<div><dt>${t(`imp.count.${k}`)}</dt><dd data-result="${k}">${fmt(n)}</dd></div>`).join('')}</dl>`;
      msg('');
      out.focus();
      onImported();
    } catch (e) {
      const problem = e instanceof ApiError ? e.problem as { errors?: RowError[]; rejected?: number } : {};
      const list = problem.errors?.slice(0, ERRORS_SHOWN) ?? [];
      out.innerHTML = `<p class="form-msg error">${esc(t('imp.commitFailed', { msg: (e as Error).message }))}</p>${list.length ? `<ul class="imp-commit-errors">${list.map((x) => `<li>${esc(x.message)}</li>`).join('')}</ul>` : ''}`;
      out.focus();
    } finally {
      btn.disabled = !!st.preview?.problem;
    }
  }

  async function storeProfile(): Promise<void> {
    const p = st.preview;
    const input = $<HTMLInputElement>('#imp-profile-name', dialog);
    const out = $('#imp-profile-msg', dialog);
    if (!p || !st.mapping) return;
    const name = input.value.trim();
    if (!name) { out.textContent = t('imp.profileNeedName'); out.classList.add('error'); input.focus(); return; }
    const { ok } = confirmedMapping();
    if (!ok) return;
    try {
      await saveProfile({ name, kind: p.kind, headers: p.headers, mapping: st.mapping });
      out.textContent = t('imp.profileSaved', { name });
      out.classList.remove('error');
    } catch (e) {
      out.textContent = t('imp.profileFailed', { msg: (e as Error).message });
      out.classList.add('error');
      input.focus();
    }
  }

  dialog.showModal();
}
