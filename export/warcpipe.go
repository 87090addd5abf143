package export

// The WARC records of captures the archive stored before it kept them as
// records (internal/warcrec) are built and compressed one gzip member each
// on every core, then written in order with the records the archive
// hands over ready.

import (
	"bytes"
	"io"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/parc-archiver/parc/internal/warcrec"
)

// warcJob is the records of one capture, compressed by a worker into out
// (or out already, recs empty).
type warcJob struct {
	recs []warcrec.Record
	out  bytes.Buffer
	err  error
	done chan struct{}
}

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
			gw := warcrec.NewGzip()
			for j := range p.jobs {
				for i := range j.recs {
					if _, j.err = j.recs[i].Encode(&j.out, gw); j.err != nil {
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
func (p *warcPipeline) add(recs ...warcrec.Record) bool {
	if p.failed.Load() {
		return false
	}
	j := &warcJob{recs: recs, done: make(chan struct{})}
	p.order <- j
	p.jobs <- j
	return true
}

// addEncoded queues records encoded already (a copy of members is
// queued); it returns what add does.
func (p *warcPipeline) addEncoded(members []byte) bool {
	if p.failed.Load() {
		return false
	}
	j := &warcJob{done: make(chan struct{})}
	j.out.Write(members)
	close(j.done)
	p.order <- j
	return true
}

// close waits for every job and returns the first error.
func (p *warcPipeline) close() error {
	close(p.jobs)
	p.wg.Wait()
	close(p.order)
	return <-p.wdone
}
