// The command line of the operations commands (backup, restore, move-to): one positional argument, boolean flags,
// --help; exit 2 with the usage on anything else.
import { parseArgs } from 'node:util';

/** Prints msg to stderr and exits (2: bad usage, 1: refused or failed). */
export const die = (msg: string, code = 2): never => { process.stderr.write(`${msg}\n`); process.exit(code); };

/** The one positional argument and the boolean flags given, or exit with the usage. */
export function parseOneArgCommand<F extends string>(usage: string, flags: F[]): { arg: string; flags: Record<F, boolean> } {
  const options = Object.fromEntries([...flags.map((f) => [f, { type: 'boolean' }]), ['help', { type: 'boolean', short: 'h' }]]);
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try { parsed = parseArgs({ allowPositionals: true, options: options as never }) as never; } catch (e) { return die(`${(e as Error).message}\n${usage}`); }
  if (parsed.values.help) { console.log(usage); process.exit(0); }
  const [arg] = parsed.positionals;
  if (!arg || parsed.positionals.length > 1) die(usage);
  return { arg, flags: Object.fromEntries(flags.map((f) => [f, parsed.values[f] === true])) as Record<F, boolean> };
}
