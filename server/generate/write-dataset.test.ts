// The generated demo dataset is reproducible and says it is synthetic: the same seed gives the same files byte for
// byte, another seed other rows; README and manifest label it SYNTHETIC.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { crimeLines, type GenerateOptions } from './model.js';
import { writeDataset } from './write-dataset.js';

const take = (g: Iterable<string>) => [...g].join('\n');

describe('writing the generated dataset', () => {
  const o: GenerateOptions = { seed: '42', crimes: 3000 };
  it('gives the same files for the same seed and different ones for another seed', async () => {
    const a = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-gen-a-')), b = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-gen-b-'));
    await writeDataset(a, o);
    await writeDataset(b, o);
    for (const f of fs.readdirSync(a)) expect(fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))), f).toBe(true);
    expect(take(crimeLines({ ...o, seed: '43' }))).not.toBe(take(crimeLines(o)));
    expect(fs.readFileSync(path.join(a, 'README.md'), 'utf8')).toMatch(/SYNTHETIC/);
    expect(JSON.parse(fs.readFileSync(path.join(a, 'manifest.json'), 'utf8'))).toMatchObject({ synthetic: true, provider: 'synthetic', seed: '42' });
    fs.rmSync(a, { recursive: true }); fs.rmSync(b, { recursive: true });
  });
});
