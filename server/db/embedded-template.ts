// A ready-made embedded database (migrated, reference and sample data loaded) built once by `npm install`
// (postinstall → server/cli/prepare-embedded.ts). A first start with an empty DATA_DIR copies it (~1 s) instead
// of building everything (~1 min on 2 cores). It is keyed by a hash of everything that shapes the stored data
// (migrations, server code, bundled data) and by the REGION it was built for, so a stale template — or one of
// another region — is never used: the start then builds as usual.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config.js';

export const TEMPLATE_ROOT = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'trygghetskarta');

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(p) : [p];
  });
}

/** Hash of the inputs that decide what the template contains; `region` is the canonical REGION spec. */
export function templateKey(region: string): string {
  const h = crypto.createHash('sha256');
  h.update(`region:${region}\n`);
  for (const d of ['migrations', 'server', 'data']) {
    for (const f of listFiles(path.join(PROJECT_ROOT, d)).sort()) {
      h.update(path.relative(PROJECT_ROOT, f));
      h.update(fs.readFileSync(f));
    }
  }
  return h.digest('hex').slice(0, 16);
}

export function templateDir(key: string): string {
  return path.join(TEMPLATE_ROOT, `embedded-${key}`);
}

/**
 * Seeds dataDir/pglite from a fresh template when dataDir holds no database yet and the template matches the
 * code. Returns true when it did.
 */
export function seedFromTemplate(dataDir: string, region: string): boolean {
  const target = path.join(dataDir, 'pglite');
  if (fs.existsSync(path.join(target, 'PG_VERSION'))) return false;
  const src = path.join(templateDir(templateKey(region)), 'pglite');
  if (!fs.existsSync(path.join(src, 'PG_VERSION'))) return false;
  fs.mkdirSync(dataDir, { recursive: true });
  fs.cpSync(src, target, { recursive: true });
  return true;
}
