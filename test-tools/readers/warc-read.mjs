// Reads a WARC (gzip per record or not) with warcio.js, the reader
// ReplayWeb.page is built on, and prints one JSON line per record: its
// type, target URI, WARC headers, HTTP status and headers, the payload
// digest it declares and the SHA-1 (base32) of the payload as stored, and
// the payload decoded as a replay tool decodes it (content coding and
// chunking undone) as text. Used by parc's Go tests.
import fs from 'node:fs';
import crypto from 'node:crypto';
import { WARCParser } from 'warcio';

function base32(buf) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, value = 0, out = '';
  for (const b of buf) {
    value = (value << 8) | b; bits += 8;
    while (bits >= 5) { out += alphabet[(value >>> (bits - 5)) & 31]; bits -= 5; }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  while (out.length % 8) out += '=';
  return out;
}

const parser = new WARCParser(fs.createReadStream(process.argv[2]));
for await (const record of parser) {
  const out = {
    type: record.warcType,
    target: record.warcTargetURI || '',
    warc: Object.fromEntries(record.warcHeaders.headers),
    offset: parser.offset,
  };
  if (record.httpHeaders) {
    out.status = record.httpHeaders.statusCode || 0;
    out.statusline = record.httpHeaders.statusline;
    out.http = Object.fromEntries(record.httpHeaders.headers);
  }
  if (record.warcType === 'response' || record.warcType === 'request' || record.warcType === 'revisit') {
    const raw = await record.readFully(false);
    out.payloadSHA1 = 'sha1:' + base32(crypto.createHash('sha1').update(raw).digest());
    out.payloadLength = raw.length;
    // Decoded as a replay tool decodes it.
    const decoded = record._createDecodingReader ? await record._createDecodingReader([raw]).readFully() : raw;
    out.text = new TextDecoder().decode(decoded);
  } else {
    out.text = new TextDecoder().decode(await record.readFully(false));
  }
  console.log(JSON.stringify(out));
}
