// The time slider: step month by month through the filter period (or the whole period), with play/pause. It sets
// state.frame, so the map, legend and panel all follow the same month.
import { t } from '../i18n/index.js';
import { monthSteps, stepText } from '../state/period.js';
import type { Store } from '../state/store.js';
import { esc } from './dom.js';

let timer: ReturnType<typeof setInterval> | null = null;

export function stopPlaying(): void { if (timer) { clearInterval(timer); timer = null; } }

export function renderSlider(el: HTMLElement, store: Store): void {
  const s = store.state;
  if (!s.from || !s.to) { el.innerHTML = ''; return; }
  const steps = monthSteps(s.from, s.to);
  const pos = s.frame === null ? steps.length : s.frame;
  // a step by name ("mar 2025"; a partial month by its days, last day inclusive)
  const step = s.frame === null ? undefined : steps[s.frame];
  const label = step ? stepText(step, s.lang) : t('slider.all');
  el.innerHTML = `<button class="icon-btn" id="play" aria-label="${timer ? t('slider.pause') : t('slider.play')}" title="${timer ? t('slider.pause') : t('slider.play')}">${timer ? '❚❚' : '▶'}</button>
    <input type="range" id="frame" min="0" max="${steps.length}" value="${pos}" aria-label="${t('slider.label')}" aria-valuetext="${esc(label)}">
    <output for="frame" id="frame-label">${esc(label)}</output>`;
  const range = el.querySelector('#frame') as HTMLInputElement;
  range.addEventListener('input', () => { stopPlaying(); const v = Number(range.value); store.update({ frame: v >= steps.length ? null : v }); });
  el.querySelector('#play')!.addEventListener('click', () => {
    if (timer) { stopPlaying(); renderSlider(el, store); return; }
    if (store.state.frame === null || store.state.frame >= steps.length - 1) store.update({ frame: 0 });
    timer = setInterval(() => {
      const f = store.state.frame ?? 0;
      if (f >= steps.length - 1) { stopPlaying(); store.update({ frame: null }); return; }
      store.update({ frame: f + 1 });
    }, 1600);
    renderSlider(el, store);
  });
}
