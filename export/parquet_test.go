package export

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/parc-archiver/parc/internal/testtool"
	"github.com/parc-archiver/parc/record"
)

// duckdb runs SQL statements in DuckDB, an independent Parquet reader.
func duckdb(t *testing.T, sql ...string) []testtool.DuckResult {
	t.Helper()
	res, ok := testtool.DuckDB(t, sql...)
	if !ok {
		t.Skip("DuckDB not installed")
	}
	return res
}

// parquetFixture returns the export fixture plus a record stored before
// the later fields were appended (no modified, tags, images: NULL, not
// empty) and a record with empty lists and a UTC timestamp.
func parquetFixture(t *testing.T) RecordSource {
	t.Helper()
	recs := loadRecords(t)
	var raws []string
	for _, r := range recs {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		raws = append(raws, string(b))
	}
	raws = append(raws,
		`{"id":"old0000000000001","url":"https://example.com/a/1","urls":["https://example.com/a/1"],"title":"Cũ","published":"2019-05-01T08:00:00-02:30","byline":"","category":"","body":"B","content_hash":"sha256:00","first_seen":"2019-05-02T00:00:00Z","last_seen":"2019-05-03T00:00:00Z","revision":2,"extraction":"profile"}`,
		`{"id":"utc0000000000002","url":"https://example.com/a/2","urls":[],"title":"T","published":"2020-02-29T23:59:59Z","byline":"","category":"","body":"B","content_hash":"sha256:01","first_seen":"2020-03-01T00:00:00Z","last_seen":"2020-03-01T00:00:00Z","revision":1,"extraction":"fallback","portal":"p","modified":"","last_changed":"2020-03-01T00:00:00Z","gone_since":"2020-04-01T10:00:00Z","near_duplicate_of":"","lead":"","tags":[],"images":[],"capture_id":"","capture_digest":""}`)
	return rawSource(raws...)
}

func writeParquet(t *testing.T, src RecordSource, opts Options) string {
	t.Helper()
	opts.Format = FormatParquet
	var out bytes.Buffer
	if _, err := Records(context.Background(), &out, src, opts); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "out.parquet")
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestParquetTypesInDuckDB reads a Parquet export back with DuckDB and
// checks every column's type and the values that a text format gets
// wrong: timestamps in UTC with their offset kept, NULL where absent,
// lists and images as nested values.
func TestParquetTypesInDuckDB(t *testing.T) {
	path := writeParquet(t, parquetFixture(t), Options{Version: "test"})
	q := "'" + path + "'"
	res := duckdb(t,
		"DESCRIBE SELECT * FROM "+q,
		"SELECT id, published, published_offset, modified, modified_offset, first_seen, gone_since, byline, urls, tags, images, revision FROM "+q+" ORDER BY id",
		"SELECT count(*) AS n, count(modified) AS with_modified, count(tags) AS with_tags FROM "+q)
	wantTypes := map[string]string{
		"id": "VARCHAR", "url": "VARCHAR", "urls": "VARCHAR[]", "title": "VARCHAR",
		"published": "TIMESTAMP WITH TIME ZONE", "published_offset": "SMALLINT",
		"byline": "VARCHAR", "category": "VARCHAR", "body": "VARCHAR", "content_hash": "VARCHAR",
		"first_seen": "TIMESTAMP WITH TIME ZONE", "last_seen": "TIMESTAMP WITH TIME ZONE",
		"revision": "BIGINT", "extraction": "VARCHAR", "portal": "VARCHAR",
		"modified": "TIMESTAMP WITH TIME ZONE", "modified_offset": "SMALLINT",
		"last_changed": "TIMESTAMP WITH TIME ZONE", "gone_since": "TIMESTAMP WITH TIME ZONE",
		"near_duplicate_of": "VARCHAR", "lead": "VARCHAR", "tags": "VARCHAR[]",
		"images": `STRUCT(url VARCHAR, caption VARCHAR)[]`, "capture_id": "VARCHAR", "capture_digest": "VARCHAR",
	}
	var names []string
	for _, row := range res[0].Rows {
		name, typ := row["column_name"].(string), row["column_type"].(string)
		names = append(names, name)
		if want, ok := wantTypes[name]; !ok || want != strings.ReplaceAll(typ, `"`, "") {
			t.Errorf("column %s: DuckDB type %s, want %s", name, typ, want)
		}
	}
	var wantNames []string
	for _, f := range record.Fields() {
		wantNames = append(wantNames, string(f))
		if f == record.FieldPublished || f == record.FieldModified {
			wantNames = append(wantNames, string(f)+"_offset")
		}
	}
	if !reflect.DeepEqual(names, wantNames) {
		t.Errorf("columns %v\nwant %v", names, wantNames)
	}

	rows := map[string]map[string]any{}
	for _, r := range res[1].Rows {
		rows[r["id"].(string)] = r
	}
	seed := rows["39132255b0a96a47"]
	if seed == nil {
		t.Fatalf("seed record missing: %v", res[1].Rows)
	}
	checks := []struct {
		id, col string
		want    any
	}{
		{"39132255b0a96a47", "published", "2021-01-27 06:39:00+00"},
		{"39132255b0a96a47", "published_offset", float64(420)},
		{"39132255b0a96a47", "byline", "HỒNG LIÊN"},
		{"39132255b0a96a47", "tags", []any{"Đảng ủy", "BCĐ 35"}},
		{"old0000000000001", "published", "2019-05-01 10:30:00+00"},
		{"old0000000000001", "published_offset", float64(-150)},
		{"old0000000000001", "modified", nil},
		{"old0000000000001", "modified_offset", nil},
		{"old0000000000001", "tags", nil},
		{"old0000000000001", "images", nil},
		{"old0000000000001", "byline", nil},
		{"old0000000000001", "revision", "2"},
		{"utc0000000000002", "published_offset", float64(0)},
		{"utc0000000000002", "gone_since", "2020-04-01 10:00:00+00"},
		{"utc0000000000002", "urls", []any{}},
		{"utc0000000000002", "tags", []any{}},
		{"utc0000000000002", "images", []any{}},
		{"utc0000000000002", "first_seen", "2020-03-01 00:00:00+00"},
	}
	for _, c := range checks {
		r := rows[c.id]
		if r == nil {
			t.Errorf("record %s missing", c.id)
			continue
		}
		if got := r[c.col]; !reflect.DeepEqual(normJSON(got), normJSON(c.want)) {
			t.Errorf("%s.%s = %#v, want %#v", c.id, c.col, got, c.want)
		}
	}
	recs := loadRecords(t)
	for _, rec := range recs {
		r := rows[rec.ID]
		imgs, _ := r["images"].([]any)
		if len(imgs) != len(rec.Images) {
			t.Errorf("%s: %d images, want %d", rec.ID, len(imgs), len(rec.Images))
			continue
		}
		for i, im := range rec.Images {
			m := imgs[i].(map[string]any)
			var caption any = im.Caption
			if im.Caption == "" {
				caption = nil
			}
			if m["url"] != im.URL || m["caption"] != caption {
				t.Errorf("%s image %d = %v, want %+v", rec.ID, i, m, im)
			}
		}
	}
	if c := res[2].Rows[0]; normJSON(c["n"]) != normJSON(float64(len(recs)+2)) {
		t.Errorf("counts %v", c)
	}
}

// normJSON renders a decoded JSON value for comparison (DuckDB prints
// BIGINT counts as strings, SMALLINT as numbers).
func normJSON(v any) string {
	b, _ := json.Marshal(v)
	return strings.Trim(string(b), `"`)
}

// TestParquetFieldsAndGroups: --fields selects and orders the columns
// (published brings its offset), and a large export is split in row
// groups.
func TestParquetFieldsAndGroups(t *testing.T) {
	fs, err := ParseFields("title,published,id")
	if err != nil {
		t.Fatal(err)
	}
	path := writeParquet(t, parquetFixture(t), Options{Fields: fs})
	res := duckdb(t, "DESCRIBE SELECT * FROM '"+path+"'")
	var names []string
	for _, r := range res[0].Rows {
		names = append(names, r["column_name"].(string))
	}
	if want := []string{"title", "published", "published_offset", "id"}; !reflect.DeepEqual(names, want) {
		t.Errorf("columns %v, want %v", names, want)
	}

	n := parquetGroupRows + 10
	src := func(ctx context.Context, fn func([]byte) error) error {
		for i := range n {
			r := record.Record{ID: strings.Repeat("x", 8) + string(rune('a'+i%26)), Title: "t", Body: "b", Revision: 1,
				FirstSeen: "2024-01-01T00:00:00Z"}
			b, _ := json.Marshal(r)
			if err := fn(b); err != nil {
				return err
			}
		}
		return nil
	}
	path = writeParquet(t, src, Options{})
	res = duckdb(t, "SELECT count(*) AS rows, count(DISTINCT row_group_id) AS groups FROM parquet_metadata('"+path+"')",
		"SELECT count(*) AS n FROM '"+path+"'")
	if g := normJSON(res[0].Rows[0]["groups"]); g != "2" {
		t.Errorf("%d rows in %s row groups, want 2", n, g)
	}
	if got := normJSON(res[1].Rows[0]["n"]); got != normJSON(float64(n)) {
		t.Errorf("read back %s rows, want %d", got, n)
	}
}

// TestParquetBadRecord: a timestamp that is not RFC 3339 fails the
// export with ErrBadRecord naming the field, rather than writing NULL.
func TestParquetBadRecord(t *testing.T) {
	var out bytes.Buffer
	_, err := Records(context.Background(), &out, rawSource(`{"id":"a","published":"yesterday"}`), Options{Format: FormatParquet})
	if err == nil || !strings.Contains(err.Error(), "published") {
		t.Fatalf("err = %v, want a bad published", err)
	}
}
