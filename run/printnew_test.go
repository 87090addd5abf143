package run

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"testing"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/internal/config"
	"github.com/parc-archiver/parc/sim"
)

// failAfter accepts n writes, then fails every one: a --print-new reader
// that went away, or a process killed after n lines.
type failAfter struct {
	mu  sync.Mutex
	n   int
	buf bytes.Buffer
}

func (f *failAfter) Write(b []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n == 0 {
		return 0, errors.New("reader gone")
	}
	f.n--
	return f.buf.Write(b)
}

// lineIDs are the ids of the JSON lines in b, in order.
func lineIDs(t *testing.T, b []byte) []string {
	t.Helper()
	var ids []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var r struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil || r.ID == "" {
			t.Fatalf("line %q: not a record (%v)", sc.Text(), err)
		}
		ids = append(ids, r.ID)
	}
	return ids
}

// storedIDs are the ids of every record in cfg's archive, sorted.
func storedIDs(t *testing.T, cfg *config.Config) []string {
	t.Helper()
	a, err := archive.Open(cfg.Archive.Path, archive.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var ids []string
	err = a.Records(context.Background(), archive.Filter{}, func(raw []byte) error {
		var r struct {
			ID string `json:"id"`
		}
		err := json.Unmarshal(raw, &r)
		ids = append(ids, r.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(ids)
	return ids
}

// A --print-new run whose output fails after a few lines leaves the rest
// queued: the next --print-new run prints them first, with the same ids,
// even after a run without --print-new in between, so that the lines of
// both runs cover every stored article.
func TestPrintNewIsAtLeastOnce(t *testing.T) {
	p, cfg := testPortal(t, sim.Options{Articles: 40, Seed: 5, PageSize: 10}, nil)
	first := &failAfter{n: 7}
	sum, err := Crawl(context.Background(), cfg, CrawlOptions{PrintNew: first})
	if err != nil {
		t.Fatal(err)
	}
	printed := lineIDs(t, first.buf.Bytes())
	if sum.New != len(p.Truth()) || len(printed) != 7 {
		t.Fatalf("first run: %d new, %d printed; want %d and 7", sum.New, len(printed), len(p.Truth()))
	}

	// A run without --print-new neither prints nor drops what is queued.
	if _, err := Crawl(context.Background(), cfg, CrawlOptions{}); err != nil {
		t.Fatal(err)
	}

	p.Publish(2)
	var second bytes.Buffer
	sum, err = Crawl(context.Background(), cfg, CrawlOptions{PrintNew: &second})
	if err != nil {
		t.Fatal(err)
	}
	again := lineIDs(t, second.Bytes())
	if want := len(p.Truth()) - 7; len(again) != want || sum.New != 2 {
		t.Fatalf("second run printed %d lines (%d new); want the %d not printed before", len(again), sum.New, want)
	}
	union := slices.Concat(printed, again)
	slices.Sort(union)
	if stored := storedIDs(t, cfg); !slices.Equal(union, stored) {
		t.Fatalf("printed ids over both runs:\n%v\nstored:\n%v", union, stored)
	}

	// Everything printed is marked so: a third run prints nothing.
	var third bytes.Buffer
	if _, err := Crawl(context.Background(), cfg, CrawlOptions{PrintNew: &third}); err != nil {
		t.Fatal(err)
	}
	if third.Len() != 0 {
		t.Fatalf("third run printed again:\n%s", third.String())
	}
}

// A run's output sees each line in one write, flushed when it can be.
func TestPrintNewFlushesEachLine(t *testing.T) {
	_, cfg := testPortal(t, sim.Options{Articles: 5, Seed: 2}, nil)
	f := &flushCounter{}
	if _, err := Crawl(context.Background(), cfg, CrawlOptions{PrintNew: f, Logger: slog.New(slog.DiscardHandler)}); err != nil {
		t.Fatal(err)
	}
	if f.writes != 5 || f.flushes != 5 {
		t.Fatalf("%d writes, %d flushes; want 5 each", f.writes, f.flushes)
	}
}

type flushCounter struct{ writes, flushes int }

func (f *flushCounter) Write(b []byte) (int, error) { f.writes++; return len(b), nil }
func (f *flushCounter) Flush() error                { f.flushes++; return nil }
