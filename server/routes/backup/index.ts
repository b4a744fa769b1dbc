// GET /api/admin/backup: a backup file of the whole database (db/backup.ts: one consistent snapshot, checksum and
// schema level inside), for admins — and, on the embedded backend, for `npm run backup` on the same machine, which
// proves itself with the token the server wrote into DATA_DIR/server.json (db/data-dir-owner.ts): PGlite serves one
// process, so a backup while the server runs has to be made by the server. Every backup is audited.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { writeBackup } from '../../db/backup.js';
import type { Principal } from '../../domain/access/principal.js';
import { recordAudit } from '../../domain/audit/record-audit.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The token a local tool sends as X-Local-Token (embedded server started by main.ts), else null. */
    localToken: string | null;
  }
}

function sameToken(a: unknown, b: string): boolean {
  if (typeof a !== 'string') return false;
  const x = Buffer.from(a), y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

const LOCAL: Principal = { role: 'admin', keyId: null, districts: [], via: 'none' };

const route: FastifyPluginAsyncZod = async (app) => {
  const admin = app.requireRole('admin');
  const local = new WeakSet<object>();
  // the admin role, or the local token; declared with the admin role for the route × role registry
  const guard = Object.assign(async (req: Parameters<typeof admin>[0]) => {
    if (app.localToken && sameToken(req.headers['x-local-token'], app.localToken)) { local.add(req); return; }
    await admin(req);
  }, { roles: admin.roles });

  app.get('/api/admin/backup', {
    onRequest: guard,
    schema: {
      tags: ['admin'], summary: 'A backup of the whole database (admin): restore with npm run restore -- <file>',
      description: 'The file: a header (schema level, tables with row counts, SHA-256 of the payload) and every table as gzip\'d COPY text, from one snapshot.',
    },
  }, async (req, reply) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-backup-'));
    const file = path.join(dir, 'backup.tkbackup');
    const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
    try {
      const h = await writeBackup(app.db, file);
      const who = local.has(req) ? LOCAL : req.principal;
      await recordAudit(app.db, who, 'backup', null, {
        via: local.has(req) ? 'local-token' : 'api', schema: h.schema.latest, rows: h.tables.reduce((a, t) => a + t.rows, 0), sha256: h.payload.sha256,
      });
      const name = `trygghetskarta-${h.createdAt.replace(/[:.]/g, '-')}.tkbackup`;
      reply.raw.once('close', cleanup);
      return reply.header('Content-Type', 'application/octet-stream').header('Content-Disposition', `attachment; filename="${name}"`)
        .header('Cache-Control', 'no-store').header('X-Backup-Sha256', h.payload.sha256).send(fs.createReadStream(file));
    } catch (e) {
      cleanup();
      throw e;
    }
  });
};
export default route;
