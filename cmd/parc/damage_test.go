package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parc-archiver/parc/sim"
)

// The damage matrix: copies of a real archive (records, revisions,
// captures, a freelist) damaged by bit flips and zeroed runs at random
// offsets of each page type, truncations at random lengths and appended
// garbage, each opened by every command that opens an archive (verify,
// stats, show, export in each format, backup, reextract, redact, compact,
// crawl), as a child process. None may panic, die of a fault, print a stack trace, exit 2
// (bad usage) or hang; each ends with 0 or with 1 and a message. The
// offsets come from a seed (PARC_DAMAGE_SEED reproduces a run).
func TestDamagedArchivesNeverCrashOrHang(t *testing.T) {
	if testing.Short() {
		t.Skip("runs many child processes; skipped with -short")
	}
	rng := seededRand(t, "PARC_DAMAGE_SEED", 0xda4a6e)

	p := newPortal(t, sim.Options{Articles: 60, Seed: 13, PageSize: 10}, nil)
	p.crawl(t)
	for _, a := range p.sim.Truth()[:8] {
		if _, err := p.sim.Edit(a.Key); err != nil {
			t.Fatal(err)
		}
	}
	p.crawl(t, "--refresh")
	id := p.records(t)[0].ID
	base, err := os.ReadFile(p.db)
	if err != nil {
		t.Fatal(err)
	}
	pages := pagesByType(t, base)
	for _, typ := range []string{"meta", "root", "branch", "leaf", "overflow", "freelist"} {
		if len(pages[typ]) == 0 {
			t.Fatalf("the archive has no %s page to damage: %v", typ, counts(pages))
		}
	}
	out := t.TempDir()
	commands := [][]string{
		{"verify"}, {"stats"}, {"show", id},
		{"export", "--format", "jsonl"}, {"export", "--format", "csv"}, {"export", "--format", "warc", "--all-revisions", "--out", filepath.Join(out, "x.warc.gz")},
		{"export", "--format", "parquet", "--out", filepath.Join(out, "x.parquet")}, {"export", "--format", "atom"},
		{"backup", filepath.Join(out, "backup.db")}, {"reextract", "--dry-run"}, {"redact", "--reason", "test", id},
		{"compact"}, {"crawl"},
	}
	all := damages(rng, base, pages)
	if raceEnabled {
		// Race-built children are slow: the whole matrix runs without
		// -race (.ci/run), a cut of it here.
		commands = [][]string{{"verify"}, {"export", "--format", "jsonl"}, {"crawl"}}
		all = everyThird(all)
	}
	for _, d := range all {
		path := filepath.Join(t.TempDir(), "parc.db")
		for _, cmd := range commands {
			// Each command gets the damaged file as it was: a writer may
			// change it (or compact replace it).
			if err := os.WriteFile(path, d.file, 0o600); err != nil {
				t.Fatal(err)
			}
			code, stderr := runDamaged(t, p, path, cmd)
			bad := code != 0 && code != 1
			for _, s := range []string{"panic", "goroutine ", "fatal error", "SIGBUS", "signal "} {
				bad = bad || strings.Contains(stderr, s)
			}
			if code == 1 && strings.TrimSpace(stderr) == "" {
				bad = true
			}
			if bad && os.Getenv("PARC_DAMAGE_KEEP") != "" {
				keep := filepath.Join(os.Getenv("PARC_DAMAGE_KEEP"), fmt.Sprintf("damaged-%d.db", len(d.file)))
				_ = os.WriteFile(keep, d.file, 0o600)
				t.Logf("kept as %s", keep)
			}
			if bad {
				t.Errorf("%s, parc %s: exit %d\n%s", d.what, strings.Join(cmd, " "), code, stderr)
			}
		}
	}
}

// damage is one damaged copy of an archive.
type damage struct {
	what string
	file []byte
}

// damages builds, from base, bit flips and a zeroed 64 KB run at random
// offsets in a random page of each type, two truncations and appended
// garbage.
func damages(rng *rand.Rand, base []byte, pages map[string][]int) []damage {
	const pageSize = 4096
	var out []damage
	for _, typ := range []string{"meta", "root", "branch", "leaf", "overflow", "freelist"} {
		for range 2 {
			pg := pages[typ][rng.IntN(len(pages[typ]))]
			off := pg*pageSize + rng.IntN(pageSize)
			b := bytes.Clone(base)
			b[off] ^= 1 << rng.IntN(8)
			out = append(out, damage{fmt.Sprintf("bit flip in %s page %d at %d", typ, pg, off), b})
		}
		pg := pages[typ][rng.IntN(len(pages[typ]))]
		b := bytes.Clone(base)
		end := min(len(b), pg*pageSize+64<<10)
		clear(b[pg*pageSize : end])
		out = append(out, damage{fmt.Sprintf("zeroed from %s page %d", typ, pg), b})
	}
	for range 2 {
		n := rng.IntN(len(base))
		out = append(out, damage{fmt.Sprintf("truncated to %d of %d bytes", n, len(base)), bytes.Clone(base[:n])})
	}
	garbage := make([]byte, 1+rng.IntN(3*pageSize))
	for i := range garbage {
		garbage[i] = byte(rng.Uint32())
	}
	out = append(out, damage{fmt.Sprintf("%d bytes of garbage appended", len(garbage)), append(bytes.Clone(base), garbage...)})
	return out
}

// pagesByType sorts the pages of a bbolt file (4 KB pages) by type: the
// meta pages, the root bucket's page, branch, leaf, overflow and freelist
// pages (of the newest meta).
func pagesByType(t *testing.T, b []byte) map[string][]int {
	t.Helper()
	const pageSize = 4096
	ne := binary.NativeEndian
	m0, m1 := b[16:], b[pageSize+16:]
	m := m0
	if ne.Uint64(m1[48:]) > ne.Uint64(m0[48:]) {
		m = m1
	}
	root, free, hwm := int(ne.Uint64(m[16:])), int(ne.Uint64(m[32:])), int(ne.Uint64(m[40:]))
	out := map[string][]int{"meta": {0, 1}, "root": {root}, "freelist": {free}}
	for id := 2; id < hwm && (id+1)*pageSize <= len(b); id++ {
		h := b[id*pageSize:]
		if int(ne.Uint64(h)) != id || id == root || id == free {
			continue
		}
		switch flags := ne.Uint16(h[8:]); {
		case flags&0x01 != 0:
			out["branch"] = append(out["branch"], id)
		case flags&0x02 != 0:
			out["leaf"] = append(out["leaf"], id)
		}
		for o := 1; o <= int(ne.Uint32(h[12:])); o++ {
			out["overflow"] = append(out["overflow"], id+o)
		}
	}
	return out
}

func counts(m map[string][]int) map[string]int {
	c := map[string]int{}
	for k, v := range m {
		c[k] = len(v)
	}
	return c
}

// runDamaged runs parc cmd on the archive at path as a child process,
// killed if it runs for a minute (a hang).
func runDamaged(t *testing.T, p *portal, path string, cmd []string) (int, string) {
	t.Helper()
	return runChild(t, time.Minute, nil, append([]string{cmd[0], "--config", p.config, "--archive", path}, cmd[1:]...)...)
}

// A compacted archive whose newest meta page is damaged reads, to bbolt,
// as its initial empty state. A crawl must not take it for a new archive
// and write over history: it refuses, exit 1, saying why, and leaves the
// file as it was; readers refuse it too.
func TestCrawlRefusesAnArchiveThatLooksEmptyButHoldsData(t *testing.T) {
	p := newPortal(t, sim.Options{Articles: 20, Seed: 4, PageSize: 10}, nil)
	p.crawl(t)
	if _, stderr, code := parc(t, "compact", "--config", p.config, "--archive", p.db); code != 0 {
		t.Fatalf("compact: exit %d\n%s", code, stderr)
	}
	b, err := os.ReadFile(p.db)
	if err != nil {
		t.Fatal(err)
	}
	ne := binary.NativeEndian
	newest := 0
	if ne.Uint64(b[4096+16+48:]) > ne.Uint64(b[16+48:]) {
		newest = 1
	}
	b[newest*4096+16+20] ^= 0x04 // in the root bucket's page id: the checksum no longer matches
	if err := os.WriteFile(p.db, b, 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := parc(t, "crawl", "--config", p.config, "--archive", p.db)
	if code != 1 || !strings.Contains(stderr, "holds data") {
		t.Errorf("crawl: exit %d, want 1 refusing to write over the data:\n%s", code, stderr)
	}
	after, err := os.ReadFile(p.db)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(after, b) {
		t.Error("the refused crawl changed the file")
	}
	if _, stderr, code := parc(t, "stats", "--config", p.config, "--archive", p.db); code != 1 {
		t.Errorf("stats: exit %d, want 1\n%s", code, stderr)
	}
}

func everyThird(ds []damage) []damage {
	var out []damage
	for i := 0; i < len(ds); i += 3 {
		out = append(out, ds[i])
	}
	return out
}
