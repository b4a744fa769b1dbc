// The time slider: step month by month through the filter period (or the whole period), with play/pause. It sets
// state.frame, so the map, legend and panel all follow the same month. The controls are built once per period and
// then updated in place, so the keyboard focus stays on the slider (or the play button) while stepping and playing.
import { t } from '../i18n/index.js';
import { monthSteps, stepText } from '../state/period.js';
import type { Store } from '../state/store.js';

let timer: ReturnType<typeof setInterval> | null = null;

export function stopPlaying(): void { if (timer) { clearInterval(timer); timer = null; } }

export function renderSlider(el: HTMLElement, store: Store): void {
  const s = store.state;
  if (!s.from || !s.to || s.metric === 'survey') { stopPlaying(); el.innerHTML = ''; el.hidden = true; return; }
  el.hidden = false;
  const steps = monthSteps(s.from, s.to);
  const key = `${s.from}|${s.to}|${s.lang}`;
  if (el.dataset.key !== key || !el.querySelector('#frame')) {
    el.dataset.key = key;
    el.innerHTML = `<button type="button" class="icon-btn" id="play"></button>
      <input type="range" id="frame" min="0" max="${steps.length}" aria-label="${t('slider.label')}">
      <output for="frame" id="frame-label"></output>`;
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
  // a step by name ("mar 2025"; a partial month by its days, last day inclusive)
  const step = s.frame === null ? undefined : steps[s.frame];
  const label = step ? stepText(step, s.lang) : t('slider.all');
  const range = el.querySelector('#frame') as HTMLInputElement;
  range.value = String(s.frame === null ? steps.length : s.frame);
  range.setAttribute('aria-valuetext', label);
  el.querySelector('#frame-label')!.textContent = label;
  const play = el.querySelector('#play') as HTMLButtonElement;
  const playLabel = timer ? t('slider.pause') : t('slider.play');
  play.setAttribute('aria-label', playLabel);
  play.title = playLabel;
  play.textContent = timer ? '❚❚' : '▶';
}
