package export

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parc-archiver/parc/record"
	"golang.org/x/text/unicode/norm"
)

// loadRecords reads the export fixture (testdata/export/records.json).
func loadRecords(tb testing.TB) []record.Record {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "export", "records.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var recs []record.Record
	if err := json.Unmarshal(b, &recs); err != nil {
		tb.Fatal(err)
	}
	return recs
}

// recordSource yields json.Marshal of each record, as the store does, in a
// buffer that is clobbered after each call so a writer keeping raw past fn
// is caught.
func recordSource(tb testing.TB, recs []record.Record) RecordSource {
	tb.Helper()
	return func(ctx context.Context, fn func(raw []byte) error) error {
		var buf []byte
		for _, r := range recs {
			if err := ctx.Err(); err != nil {
				return err
			}
			b, err := json.Marshal(r)
			if err != nil {
				return err
			}
			buf = append(buf[:0], b...)
			if err := fn(buf); err != nil {
				return err
			}
			for i := range buf {
				buf[i] = 'x'
			}
		}
		return nil
	}
}

func rawSource(raws ...string) RecordSource {
	return func(ctx context.Context, fn func(raw []byte) error) error {
		for _, r := range raws {
			if err := fn([]byte(r)); err != nil {
				return err
			}
		}
		return nil
	}
}

func export(tb testing.TB, recs []record.Record, opts Options) []byte {
	tb.Helper()
	var out bytes.Buffer
	n, err := Records(context.Background(), &out, recordSource(tb, recs), opts)
	if err != nil {
		tb.Fatalf("Records(%s): %v", opts.Format, err)
	}
	want := len(recs)
	if opts.Format == FormatAtom {
		want = min(want, cmp.Or(opts.Limit, DefaultAtomLimit))
	}
	if n != want {
		tb.Fatalf("Records(%s) = %d records, want %d", opts.Format, n, want)
	}
	return out.Bytes()
}

// fieldValue is the Go value of a record's JSON field, found by reflection
// (independently of the writers' JSON splitter).
func fieldValue(tb testing.TB, r record.Record, name string) any {
	tb.Helper()
	v := reflect.ValueOf(r)
	for i := range v.NumField() {
		tag, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
		if tag == name {
			return v.Field(i).Interface()
		}
	}
	tb.Fatalf("no field %q", name)
	return nil
}

func TestFields(t *testing.T) {
	// docs/CONTRACT.md's schema 1, in order: the 13 first fields, then the appended ones.
	want := []string{"id", "url", "urls", "title", "published", "byline", "category", "body",
		"content_hash", "first_seen", "last_seen", "revision", "extraction",
		"portal", "modified", "last_changed", "gone_since", "near_duplicate_of", "lead",
		"tags", "images", "capture_id", "capture_digest"}
	if got := names(record.Fields()); !slices.Equal(got, want) {
		t.Fatalf("record.Fields() = %q\nwant %q", got, want)
	}
}

func TestParseFields(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string
		wantErr string
	}{
		{name: "empty means all", in: "", want: nil},
		{name: "blank means all", in: "  ", want: nil},
		{name: "order kept", in: "title,id,body", want: []string{"title", "id", "body"}},
		{name: "spaces trimmed", in: " id , urls ", want: []string{"id", "urls"}},
		{name: "unknown named", in: "id,titel", wantErr: `"titel"`},
		{name: "empty element", in: "id,,title", wantErr: "empty name"},
		{name: "duplicate", in: "id,title,id", wantErr: "twice"},
		{name: "case matters", in: "ID", wantErr: `"ID"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseFields(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseFields(%q) error = %v, want one containing %s", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseFields(%q): %v", tt.in, err)
			}
			if !slices.Equal(names(got), tt.want) || (got == nil) != (tt.want == nil) {
				t.Fatalf("ParseFields(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	if _, err := ParseFields("nope"); !errors.Is(err, ErrUnknownField) {
		t.Fatalf("error %v does not wrap ErrUnknownField", err)
	}
}

func TestExportJSONL(t *testing.T) {
	recs := loadRecords(t)
	t.Run("all fields copies stored bytes", func(t *testing.T) {
		out := export(t, recs, Options{Format: FormatJSONL})
		lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
		if len(lines) != len(recs) || !bytes.HasSuffix(out, []byte("\n")) {
			t.Fatalf("got %d lines, want %d newline-terminated", len(lines), len(recs))
		}
		for i, line := range lines {
			want, _ := json.Marshal(recs[i])
			if line != string(want) {
				t.Errorf("line %d differs from the stored record:\n%s\n%s", i, line, want)
			}
			var got record.Record
			if err := json.Unmarshal([]byte(line), &got); err != nil {
				t.Fatalf("line %d: %v", i, err)
			}
			if !reflect.DeepEqual(got, recs[i]) {
				t.Errorf("line %d = %+v, want %+v", i, got, recs[i])
			}
		}
	})
	t.Run("zero options are jsonl", func(t *testing.T) {
		if a, b := export(t, recs, Options{}), export(t, recs, Options{Format: FormatJSONL}); !bytes.Equal(a, b) {
			t.Fatal("zero Options differ from jsonl")
		}
	})
	t.Run("fields project in the given order", func(t *testing.T) {
		fields := []string{"title", "id", "urls", "revision", "images"}
		out := export(t, recs, Options{Format: FormatJSONL, Fields: fieldsOf(fields)})
		dec := json.NewDecoder(bytes.NewReader(out))
		for i := 0; dec.More(); i++ {
			var m map[string]json.RawMessage
			if err := dec.Decode(&m); err != nil {
				t.Fatal(err)
			}
			if len(m) != len(fields) {
				t.Fatalf("record %d has keys %v, want %v", i, slices.Collect(mapsKeys(m)), fields)
			}
			for _, f := range fields {
				want, _ := json.Marshal(fieldValue(t, recs[i], f))
				if string(m[f]) != string(want) {
					t.Errorf("record %d %s = %s, want %s", i, f, m[f], want)
				}
			}
		}
		firstLine, _, _ := strings.Cut(string(out), "\n")
		if !strings.HasPrefix(firstLine, `{"title":`) || strings.Index(firstLine, `"id":`) > strings.Index(firstLine, `"urls":`) {
			t.Errorf("keys out of order: %.80s", firstLine)
		}
	})
	t.Run("multi-line stored json is compacted", func(t *testing.T) {
		var out bytes.Buffer
		n, err := Records(context.Background(), &out, rawSource("{\n \"id\": \"a\",\n \"title\": \"x\\ny\"\n}"), Options{})
		if err != nil || n != 1 {
			t.Fatal(n, err)
		}
		if got := out.String(); got != `{"id":"a","title":"x\ny"}`+"\n" {
			t.Fatalf("got %q", got)
		}
	})
	t.Run("missing fields get zero values", func(t *testing.T) {
		var out bytes.Buffer
		_, err := Records(context.Background(), &out, rawSource(`{"id":"old","unknown":{"a":[1,"]"]}}`),
			Options{Fields: fields("id", "tags", "revision", "lead")})
		if err != nil {
			t.Fatal(err)
		}
		if got := out.String(); got != `{"id":"old","tags":null,"revision":0,"lead":""}`+"\n" {
			t.Fatalf("got %q", got)
		}
	})
	t.Run("empty export is empty", func(t *testing.T) {
		if out := export(t, nil, Options{Format: FormatJSONL}); len(out) != 0 {
			t.Fatalf("got %q", out)
		}
	})
}

func mapsKeys(m map[string]json.RawMessage) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func TestExportJSON(t *testing.T) {
	recs := loadRecords(t)
	tests := []struct {
		name   string
		recs   []record.Record
		fields []record.Field
	}{
		{name: "all", recs: recs},
		{name: "one", recs: recs[:1]},
		{name: "empty", recs: nil},
		{name: "empty with fields", recs: nil, fields: fields("id")},
		{name: "fields", recs: recs, fields: fields("body", "byline", "tags")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := export(t, tt.recs, Options{Format: FormatJSON, Fields: tt.fields})
			if !json.Valid(out) {
				t.Fatalf("invalid JSON: %q", out)
			}
			var got []map[string]json.RawMessage
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatal(err)
			}
			if got == nil || len(got) != len(tt.recs) {
				t.Fatalf("got %d records (nil=%v), want %d", len(got), got == nil, len(tt.recs))
			}
			fields := names(tt.fields)
			if tt.fields == nil {
				fields = names(record.Fields())
			}
			for i, m := range got {
				if len(m) != len(fields) {
					t.Errorf("record %d has %d keys, want %d", i, len(m), len(fields))
				}
				for _, f := range fields {
					want, _ := json.Marshal(fieldValue(t, tt.recs[i], f))
					if string(m[f]) != string(want) {
						t.Errorf("record %d %s = %s, want %s", i, f, m[f], want)
					}
				}
			}
		})
	}
}

func TestExportErrors(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name string
		src  RecordSource
		opts Options
		want error
	}{
		{name: "unknown format", src: rawSource(), opts: Options{Format: "xml"}, want: ErrUnknownFormat},
		{name: "warc is not a record format", src: rawSource(), opts: Options{Format: FormatWARC}, want: ErrUnknownFormat},
		{name: "unknown field", src: rawSource(), opts: Options{Format: FormatCSV, Fields: fields("nope")}, want: ErrUnknownField},
		{name: "source error jsonl", src: func(context.Context, func([]byte) error) error { return boom }, opts: Options{}, want: boom},
		{name: "source error csv", src: func(context.Context, func([]byte) error) error { return boom }, opts: Options{Format: FormatCSV}, want: boom},
		{name: "malformed record csv", src: rawSource(`{"id":"a",`), opts: Options{Format: FormatCSV}, want: ErrBadRecord},
		{name: "not an object csv", src: rawSource(`["a"]`), opts: Options{Format: FormatCSV}, want: ErrBadRecord},
		{name: "malformed record projected", src: rawSource(`{"id":"a" "x"}`), opts: Options{Fields: fields("id")}, want: ErrBadRecord},
		{name: "bad escape csv", src: rawSource(`{"title":"a\qb"}`), opts: Options{Format: FormatCSV}, want: ErrBadRecord},
		{name: "canceled", src: recordSource(t, make([]record.Record, 3)), opts: Options{Format: FormatJSON}, want: context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			if tt.want == context.Canceled {
				cancel()
			}
			defer cancel()
			_, err := Records(ctx, &bytes.Buffer{}, tt.src, tt.opts)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
		})
	}
}

func TestExportWriteError(t *testing.T) {
	recs := loadRecords(t)
	for _, format := range []Format{FormatJSON, FormatJSONL, FormatCSV, FormatAtom} {
		t.Run(string(format), func(t *testing.T) {
			_, err := Records(context.Background(), failWriter{}, recordSource(t, recs), Options{Format: format})
			if !errors.Is(err, errDiskFull) {
				t.Fatalf("error %v, want %v", err, errDiskFull)
			}
		})
	}
}

var errDiskFull = errors.New("disk full")

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errDiskFull }

// TestVietnameseSurvives checks the NFC text of the seed article in every
// record format.
func TestVietnameseSurvives(t *testing.T) {
	recs := loadRecords(t)
	seed := recs[0]
	for _, s := range []string{seed.Title, seed.Byline, seed.Body} {
		if !norm.NFC.IsNormalString(s) || !utf8.ValidString(s) {
			t.Fatalf("fixture not NFC: %q", s)
		}
	}
	for _, format := range []Format{FormatJSON, FormatJSONL, FormatCSV, FormatAtom} {
		t.Run(string(format), func(t *testing.T) {
			out := string(export(t, recs, Options{Format: format}))
			for _, s := range []string{seed.Title, seed.Byline, "Ngày 27/01/2021, Ban Chỉ đạo", "thế lực thù địch./."} {
				if !strings.Contains(out, s) {
					t.Errorf("%s export lacks %q", format, s)
				}
			}
			if !utf8.ValidString(out) {
				t.Errorf("%s export is not UTF-8", format)
			}
		})
	}
}

// fields is a field list written as strings.
func fields(names ...string) []record.Field { return fieldsOf(names) }

// fieldsOf converts names to fields.
func fieldsOf(names []string) []record.Field {
	out := make([]record.Field, len(names))
	for i, n := range names {
		out[i] = record.Field(n)
	}
	return out
}

// names is a field list as strings.
func names(fs []record.Field) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = string(f)
	}
	return out
}
