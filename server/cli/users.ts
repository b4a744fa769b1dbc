// `npm run users -- <command>`: API keys from the shell, on the same database as the server (DATABASE_URL or DATA_DIR).
//   create-key --name <n> --role analyst|staff|admin [--districts <d>,<d>…]   prints the key once
//       a district: an area id (88), <areaSetId>:<code> (stadsdelar:HUSBY, stadsdelsomraden-2023:Järva) or a bare
//       stadsdel code (HUSBY: the stadsdel only); stored as area ids
//   list-keys                                                                   id, role, state, districts (ids with names)
//   revoke-key <id>                                                                  revokes it and ends its sessions
// With the embedded backend the server must be stopped first (PGlite allows one process per data folder).
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { loadConfig } from '../config.js';
import { recordAudit } from '../domain/audit/record-audit.js';
import { createKey, DistrictResolveError, listKeys, revokeKey, type KeyDistrict } from '../domain/keys/api-keys.js';
import { openReadyDb } from '../startup.js';

const USAGE = `usage: npm run users -- create-key --name <name> --role analyst|staff|admin [--districts 88,stadsdelar:RINKEBY,stadsdelsomraden-2023:Järva]
       npm run users -- list-keys
       npm run users -- revoke-key <id>`;

const CLI = { role: 'admin' as const, keyId: null, districts: [], via: 'none' as const };

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: { name: { type: 'string' }, role: { type: 'string' }, districts: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [cmd, arg] = positionals;
  if (values.help || !cmd) { console.log(USAGE); return cmd ? 0 : 2; }
  if (!['create-key', 'list-keys', 'revoke-key'].includes(cmd)) { console.error(`unknown command "${cmd}"\n${USAGE}`); return 2; }
  if (cmd === 'revoke-key' && !/^\d+$/.test(arg ?? '')) { console.error(`revoke-key needs a numeric key id\n${USAGE}`); return 2; }

  const db = await openReadyDb(loadConfig());
  try {
    if (cmd === 'create-key') {
      const k = await createKey(db, {
        name: values.name ?? '', role: values.role as 'analyst',
        districts: values.districts ? values.districts.split(',').map((s) => s.trim()).filter(Boolean) : [],
      });
      await recordAudit(db, CLI, 'key-created', `key:${k.id}`, { role: k.role, districts: k.districts, via: 'cli' });
      console.log(`created key ${k.id} (${k.role}${k.districts.length ? `, districts ${showDistricts(k.districtAreas)}` : ''}). It is shown only this once:`);
      console.log(k.key);
    } else if (cmd === 'list-keys') {
      const keys = await listKeys(db);
      if (!keys.length) console.log('no keys');
      for (const k of keys) {
        console.log([String(k.id).padStart(4), k.role.padEnd(7), k.revokedAt ? `revoked ${k.revokedAt.slice(0, 10)}` : 'active    ', k.createdAt.slice(0, 10), k.name, showDistricts(k.districtAreas, k.districts)].join('  '));
      }
    } else {
      const id = Number(arg);
      if (!(await revokeKey(db, id))) { console.error(`no active key ${id}`); return 1; }
      await recordAudit(db, CLI, 'key-revoked', `key:${id}`, { via: 'cli' });
      console.log(`revoked key ${id}`);
    }
    return 0;
  } finally {
    await db.close();
  }
}

/** "88 Husby (stadsdelar:HUSBY), 46 Järva (stadsdelsomraden-2023:Järva)"; ids without an area are marked. */
function showDistricts(areas: KeyDistrict[], ids: string[] = areas.map((a) => String(a.id))): string {
  return ids.map((id) => {
    const a = areas.find((x) => String(x.id) === id);
    return a ? `${a.id} ${a.name} (${a.areaSetId}:${a.code})` : `${id} (no such area)`;
  }).join(', ');
}

main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
  if (e instanceof ZodError) console.error(`invalid input: ${e.issues.map((i) => `--${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}`);
  else console.error(`error: ${(e as Error).message}`);
  process.exit(e instanceof ZodError || e instanceof DistrictResolveError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1);
});
