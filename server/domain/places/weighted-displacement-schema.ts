// The results of the Weighted Displacement Difference and Quotient (weighted-displacement.ts) as zod schemas — the
// place evaluation serves them as its wdd and wdq — with the types derived from them.
import { z } from 'zod';

const WDD_BASES = ['counts', 'area'] as const;
export const wddSchema = z.object({
  local: z.number().describe('ΔT − kT·ΔC: the change in the place beyond the control\'s trend, in incidents per after period'), localSe: z.number(),
  displacement: z.number().describe('ΔD − kD·ΔC: the change in the buffer beyond the control\'s trend'), displacementSe: z.number(),
  wdd: z.number().describe('local + displacement: the net effect in the place and its surroundings'),
  se: z.number(), z: z.number(), pValue: z.number(), ciLow: z.number(), ciHigh: z.number(), significant: z.boolean(),
  weights: z.object({ timeRatio: z.number(), placeToControl: z.number(), bufferToControl: z.number(), basis: z.object({ place: z.enum(WDD_BASES), buffer: z.enum(WDD_BASES) }) }),
});
export type WddResult = z.infer<typeof wddSchema>;

export const WDQ_INTERPRETATIONS = ['not-defined', 'diffusion-of-benefits', 'displacement', 'displacement-exceeds-benefit', 'no-change-in-buffer'] as const;
export const wdqSchema = z.object({
  successMeasure: z.number().nullable(), displacementMeasure: z.number().nullable(), wdq: z.number().nullable(),
  interpretation: z.enum(WDQ_INTERPRETATIONS),
});
export type WdqResult = z.infer<typeof wdqSchema>;
