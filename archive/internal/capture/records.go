package capture

// Captures stored since parc 0.5 are kept as their WARC records
// (EncodingWARC): the request record and the response (or revisit) record
// that a WARC export writes, one gzip member each, built by
// internal/warcrec when the capture is stored. An export then copies the
// stored bytes (Records) instead of building and deflating every record
// again, which held a cold WARC export of 100 000 records at ~60 MB/s on
// two cores; the crawl deflates each page once instead of S2-compressing
// it. Reading the body back (Decode: reextract, show, replay) inflates the
// response member.
//
// The stored value:
//
//	0x00 | CRC-32C of the rest (4 bytes, big-endian) | uvarint length of
//	the JSON header | the JSON header | the records
//
// The leading 0x00 tells it from the older values, which start with the
// uvarint length of their JSON header (never 0). The CRC covers header and
// records: an export checks it, a pass at memory speed, where it no longer
// inflates the body to check its SHA-1; Decode and Check check both.

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"

	"github.com/klauspost/compress/gzip"

	"github.com/parc-archiver/parc/archive/internal/checksum"
	"github.com/parc-archiver/parc/internal/warcrec"
	"github.com/parc-archiver/parc/record"
)

const recordsFrame = 5 // the 0x00 marker and the CRC

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// isRecords reports whether v is stored as EncodingWARC.
func isRecords(v []byte) bool { return len(v) > 0 && v[0] == 0 }

// recordsValue checks the frame of an EncodingWARC value and returns what
// it frames.
func recordsValue(v []byte) ([]byte, error) {
	if len(v) < recordsFrame {
		return nil, fmt.Errorf("capture header: truncated")
	}
	if crc32.Checksum(v[recordsFrame:], castagnoli) != binary.BigEndian.Uint32(v[1:]) {
		return nil, fmt.Errorf("capture %w", checksum.ErrDamaged)
	}
	return v[recordsFrame:], nil
}

// Records returns the WARC records of v, checked against the value's
// CRC, without decoding its header or its body; ok is false when v is
// stored in an older encoding, which Decode reads.
func Records(v []byte) (records []byte, ok bool, err error) {
	if !isRecords(v) {
		return nil, false, nil
	}
	rest, err := recordsValue(v)
	if err != nil {
		return nil, true, err
	}
	n, k := binary.Uvarint(rest)
	if k <= 0 || uint64(len(rest)-k) < n {
		return nil, true, fmt.Errorf("capture header: truncated")
	}
	return rest[k+int(n):], true, nil
}

// Read is Decode but, with records set, gives a capture stored as its WARC
// records as them alone (record.Capture.WARC, checked against the value's
// CRC; digest ""), without decoding its header or body: what a WARC
// export copies.
func (cc *Codec) Read(v []byte, records bool) (*record.Capture, string, error) {
	if records {
		if recs, ok, err := Records(v); ok || err != nil {
			if err != nil {
				return nil, "", err
			}
			return &record.Capture{WARC: recs}, "", nil
		}
	}
	return cc.Decode(v)
}

// recordsScratch is what one encodeRecords call needs, pooled.
type recordsScratch struct {
	gz   *warcrec.Gzip
	recs bytes.Buffer
}

// encodeRecords stores capture c, with header m, as its WARC records; the
// response record's WARC-Record-ID is id. It sets m's encoding, digest
// and offsets, and leaves m as it was when it fails before them (a URL
// no WARC record can name).
func (cc *Codec) encodeRecords(m *Meta, c *record.Capture, id string) ([]byte, error) {
	req, resp, err := warcrec.ForCapture(c, id, "", m.FetchedAt)
	if err != nil {
		return nil, err
	}
	sc, _ := cc.records.Get().(*recordsScratch)
	if sc == nil {
		sc = &recordsScratch{gz: warcrec.NewGzip()}
	}
	defer func() {
		if sc.recs.Cap() <= 4<<20 { // do not pool the buffer of a huge page
			sc.recs.Reset()
			cc.records.Put(sc)
		}
	}()
	if _, err := req.Encode(&sc.recs, sc.gz); err != nil {
		return nil, err
	}
	respAt := sc.recs.Len()
	enc, err := resp.Encode(&sc.recs, sc.gz)
	if err != nil {
		return nil, err
	}
	m.Encoding, m.Digest, m.ResponseAt, m.PayloadAt = EncodingWARC, enc.PayloadDigest, respAt, max(enc.PayloadAt, 0)
	if enc.PayloadAt < 0 { // a revisit: no body
		m.Digest = PayloadDigest(nil)
	}
	var hbuf [1024]byte
	hb, err := appendMeta(hbuf[:0], m)
	if err != nil {
		return nil, err
	}
	return frameRecords(hb, sc.recs.Bytes()), nil
}

// frameRecords returns the stored value of the JSON header hb and the
// records recs.
func frameRecords(hb, recs []byte) []byte {
	value := make([]byte, recordsFrame, recordsFrame+binary.MaxVarintLen64+len(hb)+len(recs))
	value = binary.AppendUvarint(value, uint64(len(hb)))
	value = append(value, hb...)
	value = append(value, recs...)
	binary.BigEndian.PutUint32(value[1:], crc32.Checksum(value[recordsFrame:], castagnoli))
	return value
}

// recordsReader is a pooled gzip reader for response records, with the
// bytes.Reader it reads from.
type recordsReader struct {
	br bytes.Reader
	zr gzip.Reader
}

// recordsBody returns the body of a capture with header m stored as its
// records recs: the payload of the response record, inflated into dst
// when it has room.
func (cc *Codec) recordsBody(dst []byte, m Meta, recs []byte) ([]byte, error) {
	if m.ResponseAt < 0 || m.ResponseAt > len(recs) || m.PayloadAt < 0 {
		return nil, fmt.Errorf("capture header: response record at %d of %d bytes", m.ResponseAt, len(recs))
	}
	rr, _ := cc.recordsZR.Get().(*recordsReader)
	if rr == nil {
		rr = &recordsReader{}
	}
	defer func() {
		rr.br.Reset(nil) // keep no reference to the archive's bytes
		cc.recordsZR.Put(rr)
	}()
	rr.br.Reset(recs[m.ResponseAt:])
	if err := rr.zr.Reset(&rr.br); err != nil {
		return nil, fmt.Errorf("capture response record: %w", err)
	}
	rr.zr.Multistream(false)
	if _, err := io.CopyN(io.Discard, &rr.zr, int64(m.PayloadAt)); err != nil {
		return nil, fmt.Errorf("capture response record: %w", err)
	}
	if cap(dst) < m.Size {
		dst = make([]byte, m.Size)
	}
	body := dst[:m.Size]
	if _, err := io.ReadFull(&rr.zr, body); err != nil {
		return nil, fmt.Errorf("capture response record: %w", err)
	}
	// Read the member to its end, so that its CRC is checked.
	if _, err := io.Copy(io.Discard, &rr.zr); err != nil {
		return nil, fmt.Errorf("capture response record: %w", err)
	}
	return body, nil
}
