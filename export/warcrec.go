package export

// The WARC records are built by hand (the header fields gowarc would
// write, in the same order, digests included) and compressed one gzip
// member each on every core, then written in order: gowarc's record
// builder and per-record gzip at the default level held the export at
// ~4 MB/s on one core (BenchmarkExportWARC), its WARC-Payload-Digest
// being computed a second time after the block's. The records are still
// read back by gowarc (IndexWARC, the tests) and by warcio.

import (
	"bytes"
	"crypto/sha1"
	"encoding/base32"
	"io"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/klauspost/compress/gzip"
)

// warcRec is one WARC record to write.
type warcRec struct {
	typ     string      // WARC-Type
	headers [][2]string // after WARC-Type, before the digests
	block   []byte
	// payloadAt is where the HTTP payload starts in block; -1 when the
	// record has no payload digest (warcinfo, a request without body).
	payloadAt int
	// wantPayload, when set, is the digest the payload must have
	// (the archive's): a mismatch fails the export.
	wantPayload string
	// errID names the capture in a mismatch error.
	errID, errURL string
	// packed: the payload is compressed already (packedPayload), so the
	// record's gzip member stores it in stored deflate blocks.
	packed bool
}

func sha1Base32(b []byte) string {
	sum := sha1.Sum(b)
	return "sha1:" + base32.StdEncoding.EncodeToString(sum[:])
}

// gzipWriters are a worker's gzip writers: deflating, and storing (for
// packed records).
type gzipWriters struct{ deflate, store *gzip.Writer }

func newGzipWriters() gzipWriters {
	d, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	s, _ := gzip.NewWriterLevel(io.Discard, gzip.NoCompression)
	return gzipWriters{d, s}
}

// encode appends r as one gzip member to dst.
func (r *warcRec) encode(dst *bytes.Buffer, gw gzipWriters) error {
	var head bytes.Buffer
	head.Grow(512)
	head.WriteString("WARC/1.1\r\nWARC-Type: ")
	head.WriteString(r.typ)
	head.WriteString("\r\n")
	for _, h := range r.headers {
		head.WriteString(h[0])
		head.WriteString(": ")
		head.WriteString(oneLine(h[1]))
		head.WriteString("\r\n")
	}
	head.WriteString("WARC-Block-Digest: " + sha1Base32(r.block) + "\r\n")
	if r.payloadAt >= 0 {
		got := sha1Base32(r.block[r.payloadAt:])
		if r.wantPayload != "" && !sameDigest(got, r.wantPayload) {
			return &digestError{id: r.errID, url: r.errURL, stored: r.wantPayload, body: got}
		}
		head.WriteString("WARC-Payload-Digest: " + got + "\r\n")
	}
	head.WriteString("Content-Length: " + strconv.Itoa(len(r.block)) + "\r\n\r\n")
	zw := gw.deflate
	if r.packed {
		zw = gw.store
	}
	zw.Reset(dst)
	for _, part := range [][]byte{head.Bytes(), r.block, []byte("\r\n\r\n")} {
		if _, err := zw.Write(part); err != nil {
			return err
		}
	}
	return zw.Close()
}

// warcJob is the records of one capture, compressed by a worker into out.
type warcJob struct {
	recs []warcRec
	out  bytes.Buffer
	err  error
	done chan struct{}
}

// digestError is a capture whose body does not match its stored digest.
type digestError struct{ id, url, stored, body string }

func (e *digestError) Error() string {
	return "capture " + e.id + " " + e.url + ": " + ErrDigestMismatch.Error() + ": stored " + e.stored + ", body " + e.body
}

func (e *digestError) Unwrap() error { return ErrDigestMismatch }

// warcPipeline compresses jobs on every core and writes them to w in the
// order they were queued; at most 4 jobs per worker are held at once.
type warcPipeline struct {
	jobs  chan *warcJob
	order chan *warcJob
	wg    sync.WaitGroup
	wdone chan error
	// failed is set once a job failed or a write did: add stops then.
	failed atomic.Bool
}

func newWARCPipeline(w io.Writer) *warcPipeline {
	n := runtime.GOMAXPROCS(0)
	p := &warcPipeline{jobs: make(chan *warcJob), order: make(chan *warcJob, 4*n), wdone: make(chan error, 1)}
	for range n {
		p.wg.Go(func() {
			gw := newGzipWriters()
			for j := range p.jobs {
				for i := range j.recs {
					if j.err = j.recs[i].encode(&j.out, gw); j.err != nil {
						break
					}
				}
				close(j.done)
			}
		})
	}
	go func() {
		var err error
		for j := range p.order {
			<-j.done
			if err == nil {
				err = j.err
			}
			if err == nil {
				_, err = w.Write(j.out.Bytes())
			}
			if err != nil {
				p.failed.Store(true)
			}
		}
		p.wdone <- err
	}()
	return p
}

// add queues the records of one capture; it blocks while the pipeline is
// full. It returns false once an earlier job or write failed (close
// says how).
func (p *warcPipeline) add(recs ...warcRec) bool {
	if p.failed.Load() {
		return false
	}
	j := &warcJob{recs: recs, done: make(chan struct{})}
	p.order <- j
	p.jobs <- j
	return true
}

// close waits for every job and returns the first error.
func (p *warcPipeline) close() error {
	close(p.jobs)
	p.wg.Wait()
	close(p.order)
	return <-p.wdone
}
