// Builds the web app when web/dist is missing or older than its sources, so `npm start` is the only command.
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './config.js';

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const e of fs.readdirSync(p)) if (e !== 'dist' && e !== 'node_modules') m = Math.max(m, newestMtime(path.join(p, e)));
  return m;
}

export async function ensureWebBuilt(log: (m: string) => void = () => {}): Promise<void> {
  const web = path.join(PROJECT_ROOT, 'web');
  const built = path.join(web, 'dist', 'index.html');
  const src = Math.max(newestMtime(path.join(web, 'src')), newestMtime(path.join(web, 'index.html')), newestMtime(path.join(web, 'public')), newestMtime(path.join(web, 'vite.config.ts')));
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= src) return;
  log('building the web app (first start or changed sources)…');
  const { build } = await import('vite');
  await build({ configFile: path.join(web, 'vite.config.ts'), logLevel: 'warn' });
}
