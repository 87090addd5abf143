package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parc-archiver/parc/record"
)

func neutralised(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// FuzzCSVRoundTrip writes arbitrary title, body and byline through the CSV
// export and reads them back with encoding/csv: every cell equals the input,
// modulo formula neutralisation and the reader's CRLF-to-LF in quoted cells.
func FuzzCSVRoundTrip(f *testing.F) {
	f.Add("Ban chỉ đạo 35", "Ngày 27/01/2021,\n\n\"trích\" ./.", "HỒNG LIÊN")
	f.Add("-5%", "=SUM(A1)\r\nx", "@a")
	f.Add(" lead", `\.`, "\t")
	f.Add("", "", "")
	f.Add("a\rb", "\"", "\u00a0x")
	f.Fuzz(func(t *testing.T, title, body, byline string) {
		if !utf8.ValidString(title) || !utf8.ValidString(body) || !utf8.ValidString(byline) {
			t.Skip("json.Marshal replaces invalid UTF-8; stored records are valid UTF-8")
		}
		raw, err := json.Marshal(record.Record{Title: title, Body: body, Byline: byline, Tags: []string{title}})
		if err != nil {
			t.Fatal(err)
		}
		for _, rawCells := range []bool{false, true} {
			var out bytes.Buffer
			_, err := Records(context.Background(), &out, rawSource(string(raw)),
				Options{Format: FormatCSV, Fields: fields("title", "body", "byline"), RawCells: rawCells})
			if err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(&out).ReadAll()
			if err != nil {
				t.Fatalf("encoding/csv: %v", err)
			}
			if len(rows) != 2 {
				t.Fatalf("got %d rows, want 2: %q", len(rows), rows)
			}
			for i, in := range []string{title, body, byline} {
				want := in
				if !rawCells {
					want = neutralised(in)
				}
				want = strings.ReplaceAll(want, "\r\n", "\n")
				if rows[1][i] != want {
					t.Fatalf("cell %d = %q, want %q (raw cells %v)", i, rows[1][i], want, rawCells)
				}
			}
		}
	})
}

// FuzzCSVWriterEqual checks the hand-written CSV cell writer byte for byte
// against encoding/csv.
func FuzzCSVWriterEqual(f *testing.F) {
	f.Add("a", " b", `\.`)
	f.Add("\"", "x,y", "\r\n")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		row := []string{a, b, c}
		if got, want := handCSV(t, row, true), stdCSV(t, row); got != want {
			t.Fatalf("hand-written %q\nencoding/csv %q", got, want)
		}
	})
}

// FuzzSplitRecord checks the writers' JSON splitter against encoding/json:
// string fields and string lists unquote to the values that were marshalled,
// and malformed input is an error, never a panic.
func FuzzSplitRecord(f *testing.F) {
	f.Add("Hồng Liên <b>&amp;</b>", "\u2028\U0001F600\"\\/\b\f\n\r\t\x01")
	f.Add("", "{\"a\":[1,2]}")
	f.Fuzz(func(t *testing.T, title, body string) {
		cols, err := newColumns(nil)
		if err != nil {
			t.Fatal(err)
		}
		// Arbitrary bytes must not panic the splitter.
		_ = cols.split([]byte(title))
		if !utf8.ValidString(title) || !utf8.ValidString(body) {
			return
		}
		raw, err := json.Marshal(record.Record{Title: title, Body: body, URLs: []string{title, body}})
		if err != nil {
			t.Fatal(err)
		}
		if err := cols.split(raw); err != nil {
			t.Fatalf("split %s: %v", raw, err)
		}
		for name, want := range map[string]string{"title": title, "body": body} {
			got, _, err := stringText(cols.vals[cols.index[name]], nil)
			if err != nil || string(got) != want {
				t.Fatalf("%s = %q (%v), want %q", name, got, err, want)
			}
		}
		got, err := appendStringList(nil, cols.vals[cols.index["urls"]], "\x00")
		if err != nil || string(got) != title+"\x00"+body {
			t.Fatalf("urls = %q (%v)", got, err)
		}
		// Projection re-encodes to the same values.
		var m map[string]any
		if err := json.Unmarshal(cols.appendObject(nil), &m); err != nil {
			t.Fatalf("projection is not JSON: %v", err)
		}
		if m["title"] != title || m["body"] != body {
			t.Fatalf("projection changed values: %q %q", m["title"], m["body"])
		}
	})
}
