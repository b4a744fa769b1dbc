export const badRequest = (detail: string) => new Error(detail);
