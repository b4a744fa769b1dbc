export const invalid = (detail: string) => new Error(detail);
