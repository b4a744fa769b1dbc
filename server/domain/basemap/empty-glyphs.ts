// A valid glyphs.proto message with no glyphs: MapLibre draws nothing for those characters instead of failing.
import { PbfWriter } from 'pbf';

export function emptyGlyphRange(fontstack: string, range: string): Uint8Array {
  const pbf = new PbfWriter();
  pbf.writeMessage(1, (_: unknown, p: PbfWriter) => { p.writeStringField(1, fontstack); p.writeStringField(2, range); }, null);
  return pbf.finish();
}
