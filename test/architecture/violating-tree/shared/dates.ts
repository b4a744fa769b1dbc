export const day = (s: string) => s.slice(0, 10);
