// A plan's version history in the area panel (issue 18: "who changed what, when"): each kept version with its status,
// who saved it and when, and what changed against the one before it in words — "Åtgärd ändrad: Belysning (ansvarig
// organisation, slut)". The server computes the changes (GET /api/action-plans/:id/versions); this says them.
import { api } from '../api/client.js';
import { t } from '../i18n/index.js';
import { esc } from './dom.js';
import { formatWhen } from './saved-reports.js';

export type PlanChange = { subject: 'title' | 'status' | 'priority' | 'indicator' | 'measure'; change: 'added' | 'removed' | 'changed'; id: string | null; label: string; fields: string[] };
export type PlanVersion = { version: number; status: string; title: string; savedBy: string | null; savedAt: string; changes: PlanChange[] };

/** A changed field in words: the form's own label where it has one ("Ansvarig organisation", "3. Identifiera troliga orsaker"). */
export function fieldText(subject: PlanChange['subject'], field: string): string {
  const [head, tail] = field.split('.');
  if (head === 'causalAnalysis') return t(`st.causalAnalysis.${tail}`);
  if (head === 'triangle') return `${t('ap.triangle')}: ${t(`ap.triangle.${tail}`)}`;
  const key = subject === 'measure' ? `ap.measure.${field}` : subject === 'indicator' ? `ap.indicator.${field}` : `ap.hist.field.${field}`;
  const text = t(key);
  return text === key ? t(`ap.hist.field.${field}`) : text;
}

/** One change in a sentence: "Åtgärd tillagd: Kameror", "Prioritering ändrad: Rån (3. Identifiera troliga orsaker)", "Status: Beslutad". */
export function changeText(c: PlanChange): string {
  if (c.subject === 'status') return t('ap.hist.status', { status: t(`ap.status.${c.label}`) });
  if (c.subject === 'title') return t('ap.hist.title', { title: c.label });
  const fields = c.fields.length ? ` (${c.fields.map((f) => fieldText(c.subject, f).toLocaleLowerCase()).join(', ')})` : '';
  return `${t(`ap.hist.${c.subject}.${c.change}`)}: ${c.label}${fields}`;
}

function versionItem(v: PlanVersion): string {
  const who = v.savedBy ? t('ap.hist.savedBy', { who: v.savedBy, when: formatWhen(v.savedAt) }) : formatWhen(v.savedAt);
  const changes = v.changes.length ? `<ul>${v.changes.map((c) => `<li>${esc(changeText(c))}</li>`).join('')}</ul>`
    : `<p class="muted">${esc(t(v.version === 1 ? 'ap.hist.first' : 'ap.hist.none'))}</p>`;
  return `<li data-version="${v.version}"><strong>${esc(t('ap.hist.version', { version: v.version, status: t(`ap.status.${v.status}`) }))}</strong> · ${esc(who)}${changes}</li>`;
}

/** A folded "Versionshistorik" for a plan: the versions are fetched when it is first opened. */
export function versionHistory(planId: number): string {
  return `<details class="ap-history" data-history="${planId}"><summary>${esc(t('ap.hist.summary'))}</summary><div role="status" aria-live="polite"></div></details>`;
}

/** Wires every folded history inside `root` (once per element). */
export function wireVersionHistories(root: HTMLElement): void {
  root.querySelectorAll<HTMLDetailsElement>('details[data-history]:not([data-wired])').forEach((d) => {
    d.dataset.wired = '1';
    d.addEventListener('toggle', () => {
      if (!d.open || d.dataset.loaded) return;
      d.dataset.loaded = '1';
      const out = d.querySelector<HTMLElement>('div')!;
      out.textContent = t('state.loading');
      api<{ versions: PlanVersion[] }>(`/api/action-plans/${d.dataset.history}/versions`).then(({ versions }) => {
        out.removeAttribute('role');
        out.innerHTML = `<ol class="report-list ap-versions" reversed>${versions.map(versionItem).join('')}</ol>`;
      }).catch((e: Error) => { delete d.dataset.loaded; out.textContent = t('ap.hist.failed', { msg: e.message }); });
    });
  });
}
