package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/parc-archiver/parc/internal/testtool"
	"github.com/parc-archiver/parc/sim"
)

// openPTY returns the terminal side of a new pseudo-terminal, or skips
// when the system has none.
func openPTY(t *testing.T) *os.File {
	t.Helper()
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { ptmx.Close() })
	fd := int(ptmx.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlock pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Skipf("pseudo-terminal number: %v", err)
	}
	tty, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { tty.Close() })
	return tty
}

// parc export --format parquet: refused on a terminal (exit 2), written
// to a pipe or a file; DuckDB reads as many rows as JSON Lines has
// records, with --all-revisions and --fields too.
func TestExportParquet(t *testing.T) {
	p := newPortal(t, sim.Options{Articles: 30, Seed: 5}, nil)
	p.crawl(t)
	truth := p.sim.Truth()
	for _, a := range truth[:3] {
		if _, err := p.sim.Edit(a.Key); err != nil {
			t.Fatal(err)
		}
	}
	p.crawl(t, "--refresh")
	args := []string{"export", "--config", p.config, "--archive", p.db, "--format", "parquet"}

	tty := openPTY(t)
	var errb bytes.Buffer
	err := runParc(context.Background(), args, strings.NewReader(""), tty, &errb)
	if code := exitCode(err); code != exitUsage || !strings.Contains(err.Error(), "--out") {
		t.Errorf("parquet to a terminal: exit %d (%v), want %d naming --out", code, err, exitUsage)
	}
	out, stderr, code := parc(t, args...)
	if code != 0 || !strings.HasPrefix(out, "PAR1") || !strings.HasSuffix(out, "PAR1") {
		t.Fatalf("parquet to a pipe: exit %d, %d bytes\n%s", code, len(out), stderr)
	}

	dir := t.TempDir()
	all, sel := filepath.Join(dir, "all.parquet"), filepath.Join(dir, "sel.parquet")
	if _, stderr, code := parc(t, append(args, "--all-revisions", "--out", all)...); code != 0 {
		t.Fatalf("export --all-revisions: exit %d\n%s", code, stderr)
	}
	if _, stderr, code := parc(t, append(args, "--fields", "id,modified,revision", "--out", sel)...); code != 0 {
		t.Fatalf("export --fields: exit %d\n%s", code, stderr)
	}
	cur, revs := len(p.records(t)), len(p.records(t, "--all-revisions"))
	if revs <= cur {
		t.Fatalf("the refresh made no revision (%d records, %d with revisions)", cur, revs)
	}
	res, ok := testtool.DuckDB(t,
		"SELECT count(*) AS n FROM '"+all+"'",
		"SELECT count(*) AS n FROM '"+sel+"'",
		"DESCRIBE SELECT * FROM '"+sel+"'")
	if !ok {
		t.SkipNow()
	}
	if got := res[0].Rows[0]["n"]; got != strconv.Itoa(revs) {
		t.Errorf("--all-revisions: DuckDB reads %v rows, JSON Lines has %d", got, revs)
	}
	if got := res[1].Rows[0]["n"]; got != strconv.Itoa(cur) {
		t.Errorf("--fields: DuckDB reads %v rows, JSON Lines has %d", got, cur)
	}
	var cols []string
	for _, r := range res[2].Rows {
		cols = append(cols, r["column_name"].(string)+" "+r["column_type"].(string))
	}
	if want := "id VARCHAR,modified TIMESTAMP WITH TIME ZONE,modified_offset SMALLINT,revision BIGINT"; strings.Join(cols, ",") != want {
		t.Errorf("--fields columns %q, want %q", cols, want)
	}
}
