package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parc-archiver/parc/archive"
)

// showArchive writes an archive of n articles, the second with two
// revisions, and a config naming it; it returns the config's path and the
// records' ids.
func showArchive(t *testing.T, n int) (string, []string) {
	t.Helper()
	var ids []string
	cfg := testArchive(t, "", func(put func(url string, art *archive.Article, at time.Time) archive.Result) {
		at := time.Date(2024, 1, 8, 8, 0, 0, 0, time.UTC)
		article := func(i int, body string) *archive.Article {
			return &archive.Article{Title: fmt.Sprintf("Tin số %d", i), Body: body, Byline: "HỒNG LIÊN",
				Published: time.Date(2024, 1, 8, 15, 15, 0, 0, time.FixedZone("", 7*3600))}
		}
		for i := range n {
			r := put(fmt.Sprintf("https://vinachem.com.vn/tin/%d.html", i), article(i, fmt.Sprintf("Đoạn đầu của tin số %d.\n\nĐoạn thứ hai, giữ nguyên.", i)), at)
			ids = append(ids, r.ID)
		}
		put("https://vinachem.com.vn/tin/1.html", article(1, "Đoạn đầu của tin số 1, đã sửa.\n\nĐoạn thứ hai, giữ nguyên."), at.Add(time.Hour))
	})
	return cfg, ids
}

// testArchive writes an archive of the vinachem portal filled by fill and
// a config naming it (with portal.timezone tz when not empty); it returns
// the config's path. The archive is parc.db beside it.
func testArchive(t *testing.T, tz string, fill func(put func(url string, art *archive.Article, at time.Time) archive.Result)) string {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "parc.db")
	a, err := archive.Open(db, archive.Options{Portal: "vinachem"})
	if err != nil {
		t.Fatal(err)
	}
	fill(func(url string, art *archive.Article, at time.Time) archive.Result {
		r, err := a.Put(context.Background(), archive.Page{URL: url, Portal: "vinachem", Article: art, FetchedAt: at})
		if err != nil {
			t.Fatal(err)
		}
		return r
	})
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	yaml := "portal:\n  name: vinachem\n  start_urls: [\"https://vinachem.com.vn/\"]\n"
	if tz != "" {
		yaml += "  timezone: " + tz + "\n"
	}
	yaml += "archive:\n  path: " + db + "\n"
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func runShow(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := runParc(context.Background(), append([]string{"show"}, args...), strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String() + errString(err), exitCode(err)
}

// show prints text by default: fields, the body once, the revisions with
// their diffs; an unambiguous id prefix names the record.
func TestShowPrintsTextAndTakesAnIDPrefix(t *testing.T) {
	cfg, ids := showArchive(t, 3)
	out, errOut, code := runShow(t, "--config", cfg, ids[1][:8])
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"id:", ids[1], "title:", "Tin số 1", "byline:", "HỒNG LIÊN", "revisions:",
		"- Đoạn đầu của tin số 1.", "+ Đoạn đầu của tin số 1, đã sửa."} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "Đoạn thứ hai, giữ nguyên."); n != 1 {
		t.Errorf("the body is printed %d times, want once:\n%s", n, out)
	}
	js, _, code := runShow(t, "--json", "--config", cfg, ids[1])
	if code != exitOK || !strings.Contains(js, `"versions"`) || !strings.Contains(js, `"revisions"`) {
		t.Errorf("--json: exit %d, keys missing:\n%s", code, js)
	}
}

// A prefix several ids start with exits 2 and lists them.
func TestShowAmbiguousPrefixExitsTwoListingMatches(t *testing.T) {
	cfg, ids := showArchive(t, 600)
	shared := ""
	for i, a := range ids {
		for _, b := range ids[i+1:] {
			if a[:4] == b[:4] {
				shared = a[:4]
			}
		}
	}
	if shared == "" {
		t.Fatal("test data: no two of 600 ids share 4 hex digits")
	}
	_, errOut, code := runShow(t, "--config", cfg, shared)
	if code != exitUsage {
		t.Fatalf("exit %d, want %d: %s", code, exitUsage, errOut)
	}
	for _, id := range ids {
		if strings.HasPrefix(id, shared) && !strings.Contains(errOut, id) {
			t.Errorf("the error does not list %s: %s", id, errOut)
		}
	}
}
