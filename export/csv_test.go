package export

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parc-archiver/parc/internal/testtool"
	"github.com/parc-archiver/parc/record"
)

// wantCSVCell renders a record's field the documented way, from Go values
// (independently of the writer's JSON splitter).
func wantCSVCell(t testing.TB, r record.Record, field string, rawCells bool) string {
	t.Helper()
	var s string
	switch v := fieldValue(t, r, field).(type) {
	case string:
		s = v
	case int:
		s = strconv.Itoa(v)
	case []string:
		sep := " "
		if field == "tags" {
			sep = "; "
		}
		s = strings.Join(v, sep)
	default:
		if reflectLen(v) > 0 {
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			s = string(b)
		}
	}
	if !rawCells && s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		s = "'" + s
	}
	return s
}

func reflectLen(v any) int {
	b, _ := json.Marshal(v)
	var xs []json.RawMessage
	if json.Unmarshal(b, &xs) == nil {
		return len(xs)
	}
	return 1
}

func readCSV(t *testing.T, out []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(out))
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("encoding/csv cannot read the export: %v\n%s", err, out)
	}
	return rows
}

func TestExportCSV(t *testing.T) {
	recs := loadRecords(t)
	tests := []struct {
		name     string
		fields   []record.Field
		bom, raw bool
	}{
		{name: "all fields"},
		{name: "bom", bom: true},
		{name: "raw cells", raw: true},
		{name: "projection", fields: fields("title", "byline", "tags", "images", "revision", "urls")},
		{name: "single column", fields: fields("lead")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := export(t, recs, Options{Format: FormatCSV, Fields: tt.fields, BOM: tt.bom, RawCells: tt.raw})
			if got := bytes.HasPrefix(out, []byte(utf8BOM)); got != tt.bom {
				t.Fatalf("BOM present = %v, want %v", got, tt.bom)
			}
			rows := readCSV(t, bytes.TrimPrefix(out, []byte(utf8BOM)))
			fields := names(tt.fields)
			if tt.fields == nil {
				fields = names(record.Fields())
			}
			if !slices.Equal(rows[0], fields) {
				t.Fatalf("header = %q, want %q", rows[0], fields)
			}
			if len(rows) != len(recs)+1 {
				t.Fatalf("got %d rows, want %d", len(rows)-1, len(recs))
			}
			for i, r := range recs {
				for j, f := range fields {
					want := wantCSVCell(t, r, f, tt.raw)
					// encoding/csv's reader turns CRLF inside a quoted cell into LF.
					want = strings.ReplaceAll(want, "\r\n", "\n")
					if got := rows[i+1][j]; got != want {
						t.Errorf("record %d %s = %q, want %q", i, f, got, want)
					}
				}
			}
		})
	}
}

func TestExportCSVNeutralisation(t *testing.T) {
	recs := loadRecords(t)
	out := export(t, recs, Options{Format: FormatCSV, Fields: fields("title", "published", "byline", "category", "lead", "body")})
	rows := readCSV(t, out)
	want := [][]string{
		{recs[0].Title, "2021-01-27T13:39:00+07:00", "HỒNG LIÊN", "Tin tập đoàn", "", recs[0].Body},
		{"'-5% giá phân bón: \"Đạm Phú Mỹ\", <ure> & DAP", "2024-01-08T15:15:00+07:00", "Nguyễn Văn A, Trần Thị B", "Tin thị trường", "'@channel tóm tắt",
			"Đoạn một, có dấu phẩy; và \"ngoặc kép\".\n\nĐoạn hai\nvới CRLF và\ttab.\n\n=SUM(A1:A9)"},
		{" khoảng trắng đầu", "", "'+84 912 345 678", "'\t tab", "", `\.`},
	}
	if !slices.EqualFunc(rows[1:], want, slices.Equal) {
		t.Fatalf("rows = %q\nwant %q", rows[1:], want)
	}
}

func TestExportCSVEmpty(t *testing.T) {
	for _, bom := range []bool{false, true} {
		t.Run(strconv.FormatBool(bom), func(t *testing.T) {
			out := export(t, nil, Options{Format: FormatCSV, BOM: bom})
			want := utf8BOMIf(bom) + strings.Join(names(record.Fields()), ",") + "\n"
			if string(out) != want {
				t.Fatalf("got %q, want %q", out, want)
			}
		})
	}
}

func utf8BOMIf(b bool) string {
	if b {
		return utf8BOM
	}
	return ""
}

// TestCSVWriterMatchesEncodingCSV checks the hand-written cell writer byte
// for byte against encoding/csv (RawCells, so no neutralisation).
func TestCSVWriterMatchesEncodingCSV(t *testing.T) {
	rows := [][]string{
		{"a", "b c", ""},
		{" lead", "\tx", "\u00a0nbsp", `\.`, `\.x`},
		{"q\"uote", "com,ma", "new\nline", "cr\rx", "crlf\r\n", "\"\""},
		{"Hồng Liên", "Đảng ủy", "ű", "\u2028"},
		{"", "", ""},
		{"=1+1", "-2", "+3", "@x", "'y"},
	}
	for i, row := range rows {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			if got, want := handCSV(t, row, true), stdCSV(t, row); got != want {
				t.Fatalf("hand-written %q\nencoding/csv %q", got, want)
			}
		})
	}
}

func handCSV(t testing.TB, row []string, raw bool) string {
	t.Helper()
	var out bytes.Buffer
	bw := bufio.NewWriter(&out)
	w := &csvWriter{bw: bw, raw: raw, ncols: len(row)}
	cells := make([][]byte, len(row))
	for i, c := range row {
		cells[i] = []byte(c)
	}
	if err := w.writeRow(cells); err != nil {
		t.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func stdCSV(t testing.TB, row []string) string {
	t.Helper()
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	if err := w.Write(row); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// TestExportPython reads the CSV, JSON and JSON Lines exports with Python's
// csv and json modules, when python3 is installed.
func TestExportPython(t *testing.T) {
	py, ok := testtool.Find(t, "python3", "python3")
	if !ok {
		t.SkipNow()
	}
	recs := loadRecords(t)
	want, err := json.Marshal(recs)
	if err != nil {
		t.Fatal(err)
	}
	const script = `
import csv, io, json, sys
fmt, want = sys.argv[1], json.loads(sys.argv[2])
data = sys.stdin.buffer.read().decode("utf-8-sig" if fmt == "csv" else "utf-8")
if fmt == "json":
    got = json.loads(data)
elif fmt == "jsonl":
    got = [json.loads(l) for l in data.splitlines()]
else:
    rows = list(csv.DictReader(io.StringIO(data, newline="")))
    assert list(rows[0].keys()) == list(want[0].keys()), rows[0].keys()
    got = []
    for r in rows:
        r["urls"] = r["urls"].split(" ") if r["urls"] else None
        r["tags"] = r["tags"].split("; ") if r["tags"] else None
        r["images"] = json.loads(r["images"]) if r["images"] else None
        r["revision"] = int(r["revision"])
        for k, v in r.items():
            if isinstance(v, str) and v[:2] in ("'-", "'=", "'+", "'@", "'\t", "'\r"):
                r[k] = v[1:]
        got.append(r)
    for w in want:
        for k in ("urls", "tags", "images"):
            if not w[k]: w[k] = None
if got != want:
    for g, w in zip(got, want):
        for k in w:
            if g.get(k) != w[k]: print(k, repr(g.get(k)), "!=", repr(w[k]), file=sys.stderr)
    sys.exit(1)
`
	for _, format := range []Format{FormatJSON, FormatJSONL, FormatCSV} {
		t.Run(string(format), func(t *testing.T) {
			out := export(t, recs, Options{Format: format, BOM: format == FormatCSV})
			cmd := exec.Command(py, "-c", script, string(format), string(want))
			cmd.Stdin = bytes.NewReader(out)
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("python: %v\n%s", err, b)
			}
		})
	}
}
