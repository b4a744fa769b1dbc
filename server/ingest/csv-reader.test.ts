// The CSV reader gives each record the file line it ends on — the line an analyst looks up when a row is
// rejected — also after a quoted field that spans lines, blank lines, CRLF endings and a BOM.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readCsv, type CsvHeader } from './csv-reader.js';

async function read(text: string, chunkSize = 7) {
  const bytes = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize)); // records cut mid-way
  let header: CsvHeader | null = null;
  const records: { line: number; fields: string[] }[] = [];
  await readCsv(Readable.from(chunks), (h) => { header = h; }, (r) => { records.push(r); });
  return { header: header!, records };
}

describe('readCsv', () => {
  it('numbers records by the line they end on', async () => {
    const { header, records } = await read('\uFEFFid;note\r\na;one\r\n\r\nb;"two\r\nlines"\r\nc;three\r\n\r\n\r\nd; four \r\n');
    expect(header.columns).toEqual(['id', 'note']);
    expect(header.delimiter).toBe(';');
    expect(records).toEqual([
      { line: 2, fields: ['a', 'one'] },
      { line: 5, fields: ['b', 'two\r\nlines'] },
      { line: 6, fields: ['c', 'three'] },
      { line: 9, fields: ['d', 'four'] },
    ]);
  });

  it('gives the same lines whatever the chunk boundaries', async () => {
    const text = 'id,v\n1,"a\nb\nc"\n2,x\n\n3,y\n';
    const expected = (await read(text, 1 << 20)).records.map((r) => r.line);
    expect(expected).toEqual([4, 5, 7]);
    for (const size of [1, 2, 3, 5, 11]) expect((await read(text, size)).records.map((r) => r.line)).toEqual(expected);
  });
});
