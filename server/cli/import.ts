// `npm run import -- <kind> <file> [options]`: imports one file in one transaction (works before the server ever
// ran: migrates and loads the reference data first). Progress on stderr; the summary on stdout; exit 0 only when
// the batch was committed (or a --dry-run passed), 1 with the error list when rows were rejected, 2 on bad usage.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { ImportFileError, ImportRejectedError, formatRowError } from '../ingest/errors.js';
import { IMPORT_KINDS, importOptionsSchema, type ImportKind } from '../ingest/import-options.js';
import { formatSummary, runImport, type ImportSummary } from '../ingest/run-import.js';
import { openReadyDb } from '../startup.js';

const USAGE = `usage: npm run import -- <kind> <file> [options]
kinds: ${IMPORT_KINDS.join(', ')}
options:
  --area-set <id>        area set of area_code values (population, survey, incident files), or the set an areas file creates
  --crs <EPSG:3006|EPSG:4326|EPSG:3011>  CRS of x,y (CSV, default EPSG:3006) or of a GeoJSON (default its crs member, else EPSG:4326)
  --dry-run              validate and count, write nothing
  --skip-invalid         write the valid rows, still report the rejected ones
  --provider <name>      provider recorded with the rows (default file; polisen for polisen-events)
  --profile <name>       read the table (CSV, ;-CSV, XLSX) with a saved mapping profile (GET /api/import-profiles)
  --mapping <json>       or with this column mapping, e.g. '{"columns":{"id":"Ärendenummer","occurred_from":"Brottsdatum",…}}'
  areas:      --level <county|kommun|stadsdelsomrade|stadsdel|basomrade|valdistrikt|custom> --vintage <year>
              --code-property <p> --name-property <p> [--parent-code-property <p>] [--parent-set <id>] [--name <text>]
  survey:     --wave <id> (when the file has no wave column) [--wave-name <text>] [--year <yyyy>]
  categories: --source <crimes|shootings|guard-reports|citizen-reports|police-events> (default crimes)
  area-counts: --area-set <id> --source <…> (default crimes): area_code,period,category,count; period 2025-03, 2025-Q1/2025K1 or 2025
  polisen-events: --as-crimes  store crime-type events as source crimes (default: source police-events)`;

function die(msg: string, code = 2): never {
  process.stderr.write(`${msg}\n`);
  process.exit(code);
}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        'area-set': { type: 'string' }, crs: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'skip-invalid': { type: 'boolean' },
        provider: { type: 'string' }, level: { type: 'string' }, vintage: { type: 'string' }, 'code-property': { type: 'string' },
        'name-property': { type: 'string' }, 'parent-code-property': { type: 'string' }, 'parent-set': { type: 'string' }, name: { type: 'string' },
        wave: { type: 'string' }, 'wave-name': { type: 'string' }, year: { type: 'string' }, source: { type: 'string' },
        'as-crimes': { type: 'boolean' }, 'imported-by': { type: 'string' }, help: { type: 'boolean', short: 'h' },
        profile: { type: 'string' }, mapping: { type: 'string' },
      },
    });
  } catch (e) { return die(`${(e as Error).message}\n${USAGE}`); }
})();

if (values.help) { console.log(USAGE); process.exit(0); }
const [kind, file] = positionals;
if (!kind || !file) die(USAGE);
if (!(IMPORT_KINDS as readonly string[]).includes(kind)) die(`unknown kind "${kind}"\n${USAGE}`);

const parsed = importOptionsSchema.safeParse({
  areaSet: values['area-set'], crs: values.crs, dryRun: values['dry-run'] ?? false, skipInvalid: values['skip-invalid'] ?? false,
  provider: values.provider, level: values.level, vintage: values.vintage, codeProperty: values['code-property'],
  nameProperty: values['name-property'], parentCodeProperty: values['parent-code-property'], parentSet: values['parent-set'], name: values.name,
  wave: values.wave, waveName: values['wave-name'], year: values.year, source: values.source, asCrimes: values['as-crimes'] ?? false,
  profile: values.profile, mapping: values.mapping,
});
if (!parsed.success) die(parsed.error.issues.map((i) => `--${String(i.path[0]).replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}: ${i.message}`).join('\n'));

const config = loadConfig();
const db = await openReadyDb(config, (m) => process.stderr.write(`${m}\n`)).catch((e) => die(`cannot open the database: ${(e as Error).message}`, 3));
let lastShown = 0;
const tty = process.stderr.isTTY;
const progress = (n: number, ms: number) => {
  const now = Date.now();
  if (now - lastShown < 1000) return;
  lastShown = now;
  const line = `  … ${n} rows, ${Math.round((n * 1000) / Math.max(ms, 1))} rows/s`;
  process.stderr.write(tty ? `\r${line}   ` : `${line}\n`);
};

let code = 0;
try {
  const s: ImportSummary = await runImport(db, {
    kind: kind as ImportKind, input: file, options: parsed.data, importedBy: values['imported-by'] ?? `cli:${process.env.USER ?? 'unknown'}`, onProgress: progress,
  });
  if (tty && lastShown) process.stderr.write('\n');
  console.log(formatSummary(s));
  if (s.rejected) {
    console.log(`${s.rejected} row(s) rejected and left out (--skip-invalid):`);
    for (const e of s.errors.slice(0, 50)) console.log(`  ${e.message}`);
    if (s.rejected > 50) console.log(`  … and ${s.rejected - 50} more`);
  }
} catch (e) {
  if (tty && lastShown) process.stderr.write('\n');
  if (e instanceof ImportRejectedError) {
    const s = e.summary as ImportSummary | undefined;
    if (s) console.log(formatSummary(s));
    console.log(`REJECTED: ${e.total} row(s) are invalid, so nothing was written (fix them, or use --skip-invalid to import the rest):`);
    for (const err of e.errors.slice(0, 200)) console.log(`  ${formatRowError(err)}`);
    if (e.total > 200) console.log(`  … and ${e.total - 200} more`);
    code = 1;
  } else if (e instanceof ImportFileError) {
    console.log(`REJECTED: ${e.message}; nothing was written.`);
    code = 1;
  } else {
    console.log(`FAILED: ${(e as Error).message}; nothing was written.`);
    code = 4;
  }
} finally {
  await db.close();
}
process.exit(code);
