package export

// WARC export: WARC/1.1 records with their block and payload digests,
// compressed one gzip member per record, as WARC tools expect of a
// .warc.gz file: a warcinfo record, then per capture a request record and
// a response (or revisit) record, built by internal/warcrec (whose package
// comment says what they hold). The archive keeps the captures it stored
// since parc 0.5 as those records, so the export copies them
// (record.Capture.WARC); it builds the records of older captures, on every
// core (warcpipe.go).

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/parc-archiver/parc/internal/warcrec"
	"github.com/parc-archiver/parc/record"
)

// PayloadDigest returns the WARC payload digest of body, "sha1:" + base32,
// as WARC-Payload-Digest and Record.CaptureDigest carry it.
func PayloadDigest(body []byte) string { return warcrec.PayloadDigest(body) }

func sameDigest(a, b string) bool { return warcrec.SameDigest(a, b) }

// WARC writes the captures src yields as a WARC/1.1 file, gzip per
// record: a warcinfo record naming parc (software: parc/opts.Version) and
// the portal profile, then a request and a response record per capture (see
// internal/warcrec for the details and header fix-ups; a capture with
// its records stored, c.WARC, is written as stored). It returns the number
// of captures written. A capture whose body does not match the given
// digest fails the export with ErrDigestMismatch.
func WARC(ctx context.Context, w io.Writer, src CaptureSource, opts Options) (n int, err error) {
	bw := bufio.NewWriterSize(w, bufSize)
	p := newWARCPipeline(bw)
	p.add(warcrec.Info(opts.Version, opts.Portal, opts.now()))
	errPipeline := errors.New("pipeline failed")
	err = src(ctx, func(c *record.Capture, id, digest string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if c.WARC != nil {
			if !p.addEncoded(c.WARC) {
				return errPipeline
			}
			n++
			return nil
		}
		if id == "" {
			id = warcrec.NewRecordID()
		}
		date := c.FetchedAt
		if date.IsZero() {
			date = opts.now()
		}
		req, resp, err := warcrec.ForCapture(c, id, digest, date)
		if err != nil {
			return err
		}
		if !p.add(req, resp) {
			return errPipeline
		}
		n++
		return nil
	})
	perr := p.close()
	if err == nil || errors.Is(err, errPipeline) {
		err = perr
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return n, fmt.Errorf("export warc: %w", err)
	}
	return n, nil
}
