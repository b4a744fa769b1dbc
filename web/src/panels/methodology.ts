// The methodology dialog: what each layer means, its source, denominator, precision limits, suppression and the
// hotspot method — in the UI language.
import { getLang, t } from '../i18n/index.js';

const SV = `
<h3>Områden (koropletkarta)</h3><p>Antal händelser per område under vald period (från och med, till och med dagen före "till"), räknat på när händelsen inträffade (lokal tid). <b>Per 1 000 invånare</b> använder befolkningen för närmaste tillgängliga år (basområden 2014–2016, befolkningsviktat för andra indelningar). Klassgränserna är naturliga brytpunkter (Ckmeans) över de visade områdena; teckenförklaringen visar exakt samma klasser som fyllningen.</p>
<h3>Förändring</h3><p>Kvoten mellan perioden och den lika långa perioden närmast före, med 95 % konfidensintervall från ett exakt Poisson-test. En förändring markeras som <b>signifikant</b> (streckad kant, ▲/▼ i panelen) bara när intervallet inte innehåller 1. I jämförelseläget visas samma period förra året bredvid.</p>
<h3>Små tal</h3><p>För allmänheten visas inga antal mellan 1 och k−1 (k = 5): sådana områden är <b>skrafferade "&lt; k"</b>. För att ett dolt tal inte ska kunna räknas fram ur summor döljs ibland ytterligare områden (sekundär röjandekontroll) och antal avrundas. <b>Inga data</b> (prickat) betyder att området saknar värde, inte noll.</p>
<h3>Precision</h3><p>En händelse visas aldrig mer exakt än data vet. Polisens händelser som bara är placerade till kommunen ritas inte som punkter och fördelas inte över stadsdelar; de redovisas som "ej placerade på denna nivå". Enskilda händelser visas bara för analytiker och först från zoomnivå 13.</p>
<h3>Hot spots</h3><p>Getis-Ord Gi* på ett hexagonrutnät (250 m) i SWEREF 99 TM; grannskap = cellen och dess sex grannar. p-värdena korrigeras för multipla test med Benjamini–Hochberg (FDR) och cellerna klassas som hot/cold spot på 90, 95 och 99 % nivå.</p>
<h3>Trygghetsmätningen</h3><p>Andelar med 95 % konfidensintervall (Wilson) och antal svarande; värden med färre än 30 svarande visas inte. Divergens jämför otrygghet och registrerad brottslighet som z-värden relativt staden.</p>
<h3>Platssamverkan</h3><p>Före/efter-jämförelse av platsen, en zon runt den och ett kontrollområde: skillnad-i-skillnader som kvot med 95 % KI och Weighted Displacement Difference (WDD). Slutsatsen säger aldrig mer än testet stöder.</p>
<h3>Källor</h3><p>Gränser: Stockholms stad (CC0), okfse/sweden-geojson. Hållplatser: GTFS Sverige 3 (CC BY 4.0). Tunnelbanestationer: KarlVo/Leave_on_time, mrkickling/rattuppgang-web. Demodata är syntetiska och märkta som sådana. Kartan hämtar inget från internet.</p>`;

const EN = `
<h3>Areas (choropleth)</h3><p>Incidents per area in the chosen period (from inclusive, to exclusive), counted by when they happened (local time). <b>Per 1,000 inhabitants</b> uses the population of the nearest available year (basområden 2014–2016, population-weighted for other area sets). Class breaks are natural breaks (Ckmeans) over the areas shown; the legend shows exactly the fill's classes.</p>
<h3>Change</h3><p>The ratio of the period to the equally long period just before, with a 95 % confidence interval from an exact Poisson test. A change is marked <b>significant</b> (dashed outline, ▲/▼ in the panel) only when the interval excludes 1. Compare mode shows the same period last year beside it.</p>
<h3>Small numbers</h3><p>The public never sees counts from 1 to k−1 (k = 5): such areas are <b>hatched "&lt; k"</b>. So that a hidden count cannot be recovered from totals, further areas may be hidden (complementary suppression) and counts are rounded. <b>No data</b> (dotted) means no value, not zero.</p>
<h3>Precision</h3><p>An incident is never shown more precisely than the data knows. Police events placed only to the municipality are not drawn as points and not spread over districts; they are reported as "not placed at this level". Individual incidents are shown only to analysts, from zoom 13.</p>
<h3>Hot spots</h3><p>Getis-Ord Gi* on a 250 m hexagon grid in SWEREF 99 TM; neighbourhood = the cell and its ring of six. p-values are corrected for multiple testing with Benjamini–Hochberg (FDR); cells are classed hot/cold at 90, 95 and 99 %.</p>
<h3>Safety survey</h3><p>Shares with 95 % confidence intervals (Wilson) and respondents; values from fewer than 30 respondents are not shown. Divergence compares insecurity with register crime as z-scores relative to the city.</p>
<h3>Place collaboration</h3><p>Before/after comparison of the place, a ring around it and a control area: difference-in-differences rate ratio with 95 % CI and the Weighted Displacement Difference (WDD). The verdict never claims more than the test supports.</p>
<h3>Sources</h3><p>Boundaries: City of Stockholm (CC0), okfse/sweden-geojson. Stops: GTFS Sverige 3 (CC BY 4.0). Metro stations: KarlVo/Leave_on_time, mrkickling/rattuppgang-web. Demo data is synthetic and labelled so. The map loads nothing from the internet.</p>`;

export function openMethodology(dialog: HTMLDialogElement): void {
  dialog.innerHTML = `<form method="dialog" class="dialog-inner"><header class="panel-head"><h2 id="dlg-title">${t('method.title')}</h2><button class="icon-btn" value="close" aria-label="${t('panel.close')}">✕</button></header><div class="dialog-body">${getLang() === 'sv' ? SV : EN}</div></form>`;
  dialog.setAttribute('aria-labelledby', 'dlg-title');
  dialog.showModal();
}
