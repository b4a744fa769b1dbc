// Minimal typing for the parts of jstat we use (the package ships no types).
declare module 'jstat' {
  export const jStat: {
    beta: { inv(p: number, a: number, b: number): number; cdf(x: number, a: number, b: number): number };
    normal: { inv(p: number, mean: number, sd: number): number; cdf(x: number, mean: number, sd: number): number };
  };
  const _default: { jStat: typeof jStat };
  export default _default;
}
