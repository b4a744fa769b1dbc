// The layer rules (.dependency-cruiser.cjs) hold for the product's tree, and they do catch each kind of violation:
// violating-tree/ is a small tree that breaks every rule once and keeps every allowed direction once.
import { createRequire } from 'node:module';
import path from 'node:path';
import { cruise, type ICruiseOptions, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const config = createRequire(import.meta.url)(path.join(ROOT, '.dependency-cruiser.cjs')) as IConfiguration;

async function violations(baseDir: string, entries: string[]) {
  const options = { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden }, baseDir } as ICruiseOptions;
  const out = await cruise(entries, options, undefined, { tsConfig: { fileName: path.join(ROOT, 'tsconfig.json') } } as never);
  const result = out.output as ICruiseResult;
  return result.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

describe('dependency rules', () => {
  it('hold for server/, web/src and shared/', async () => {
    const found = await violations(ROOT, ['server', 'web/src', 'shared']);
    expect(found).toEqual([]);
  }, 60_000);

  it('fail on a deliberate violation of each rule, and let the allowed directions pass', async () => {
    const found = await violations(path.join(ROOT, 'test/architecture/violating-tree'), ['server', 'web/src', 'shared']);
    const pairs = found.map((v) => `${v.rule}: ${v.from} → ${v.to.replace(/^.*node_modules\//, 'node_modules/')}`);
    const expected = [
      'domain-knows-no-http: server/domain/uses-http.ts → server/plugins/errors.ts',
      'domain-knows-no-http: server/domain/uses-fastify.ts → node_modules/fastify',
      'domain-below-rendering-and-seeding: server/domain/uses-rendering.ts → server/rendering/render.ts',
      'db-is-the-bottom: server/db/uses-domain.ts → server/domain/problems.ts',
      'no-cycles: server/domain/cycle-a.ts → server/domain/cycle-b.ts',
      'server-not-web: server/domain/uses-web.ts → web/src/label.ts',
      'web-uses-only-shared: web/src/uses-server.ts → server/domain/problems.ts',
      'shared-is-pure: shared/uses-server.ts → server/domain/problems.ts',
      'shared-no-node-builtins: shared/uses-node.ts → fs',
      'product-not-tests: server/domain/uses-test.ts → test/helper.ts',
    ];
    for (const e of expected) expect(pairs.some((p) => p.startsWith(e)), `${e}\nfound:\n${pairs.join('\n')}`).toBe(true);
    // nothing from the allowed files is flagged
    expect(found.filter((v) => /allowed\.ts$/.test(v.from))).toEqual([]);
    // every rule of the set is exercised by the tree
    const rules = new Set(found.map((v) => v.rule));
    for (const r of config.forbidden ?? []) expect(rules.has(r.name ?? ''), r.name).toBe(true);
  }, 60_000);
});
