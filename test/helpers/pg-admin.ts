// Names and URLs for the per-run PostgreSQL template and its per-file copies.
export function adminUrl(url: string): string {
  // connect to the maintenance db to create/drop databases
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

export function templateDbName(): string {
  return `tk_tpl_${process.pid}`;
}
