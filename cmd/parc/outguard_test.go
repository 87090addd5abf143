package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// No output flag or destination may overwrite the archive or one of its
// files, through a link or a relative name; a directory is refused too.
// Each is a usage error (exit 2) that leaves the archive as it was and no
// temporary file behind.
func TestOutputsNeverOverwriteTheArchive(t *testing.T) {
	cfg, _ := showArchive(t, 2)
	dir := filepath.Dir(cfg)
	db := filepath.Join(dir, "parc.db")
	t.Chdir(dir)
	if err := os.Symlink(db, filepath.Join(dir, "link.jsonl")); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(db, filepath.Join(dir, "hard.jsonl")); err != nil {
		t.Fatal(err)
	}
	outDir := filepath.Join(dir, "outdir")
	if err := os.Mkdir(outDir, 0o755); err != nil {
		t.Fatal(err)
	}
	before := fileHash(t, db)
	listing := dirNames(t, dir)
	for _, args := range [][]string{
		{"export", "--out", db},
		{"export", "--out", "parc.db"},
		{"export", "--out", "./sub/../parc.db"},
		{"export", "--out", "link.jsonl"},
		{"export", "--out", "hard.jsonl"},
		{"export", "--out", db + ".lock"},
		{"export", "--out", "parc.db-index"},
		{"export", "--out", outDir},
		{"export", "--format", "warc", "--out", "x.warc", "--cdxj", "parc.db"},
		{"export", "--format", "warc", "--out", "x.warc", "--cdxj", "x.warc"},
		{"backup", db},
		{"backup", "link.jsonl"},
		{"backup", "."}, // a directory: the archive's own name inside it
		{"crawl", "--metrics-file", db},
		{"crawl", "--metrics-file", "parc.db.prom"},
	} {
		var out, errOut bytes.Buffer
		err := runParc(context.Background(), append([]string{args[0], "--config", cfg}, args[1:]...), strings.NewReader(""), &out, &errOut)
		if code := exitCode(err); code != exitUsage {
			t.Errorf("parc %s: exit %d, want %d (%v)", strings.Join(args, " "), code, exitUsage, err)
		}
	}
	if fileHash(t, db) != before {
		t.Fatal("the archive changed")
	}
	if after := dirNames(t, dir); after != listing {
		t.Errorf("files left behind: before %s, after %s", listing, after)
	}
	if entries, _ := os.ReadDir(outDir); len(entries) != 0 {
		t.Errorf("%d files left in the --out directory", len(entries))
	}
	// A file of another name beside the archive is fine.
	var out, errOut bytes.Buffer
	if err := runParc(context.Background(), []string{"export", "--config", cfg, "--out", "articles.jsonl"}, strings.NewReader(""), &out, &errOut); err != nil {
		t.Errorf("export --out articles.jsonl: %v: %s", err, errOut.String())
	}
}

func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func dirNames(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return strings.Join(names, " ")
}
