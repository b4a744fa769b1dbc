// The seven hot/cold classes (the ArcGIS Hot Spot Analysis convention) from the FDR-adjusted p-value and the sign
// of Gi*. alpha is the false-discovery rate the user accepts: a cell is significant only when pAdjusted ≤ alpha,
// and its class names the strongest confidence bin (99, 95, 90 %) it reaches. With the default alpha 0.05, the
// 90 % bin never appears (those cells are "not-significant"); alpha=0.1 admits it.
export const HOTSPOT_CLASSES = ['hot-99', 'hot-95', 'hot-90', 'not-significant', 'cold-90', 'cold-95', 'cold-99'] as const;
export type HotspotClass = (typeof HOTSPOT_CLASSES)[number];

export function classify(giZ: number, pAdjusted: number, alpha: number): HotspotClass {
  if (!(pAdjusted <= alpha) || giZ === 0) return 'not-significant';
  const side = giZ > 0 ? 'hot' : 'cold';
  const level = pAdjusted <= 0.01 ? 99 : pAdjusted <= 0.05 ? 95 : pAdjusted <= 0.1 ? 90 : null;
  return level === null ? 'not-significant' : (`${side}-${level}` as HotspotClass);
}
