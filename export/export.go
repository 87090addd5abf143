package export

// Export writers.
//
// Each writer consumes a source function rather than an *Archive, so it can
// be tested (and benchmarked) without bbolt: (*Archive).Records and
// (*Archive).Captures bound to a Filter fit RecordSource and CaptureSource.
// Writers stream: memory stays flat whatever the number of records (Atom
// keeps only its newest Limit records).
//
// Formats (docs/CONTRACT.md, export schema 1):
//   - jsonl: one record per line. Without Fields the stored JSON is copied
//     byte for byte (re-compacted only if it spans lines).
//   - json: one array, one record per line inside it; "[]" when empty.
//   - csv: RFC 4180 as written by encoding/csv (LF line ends, quoted cells
//     where needed, multi-line bodies quoted), header = field names in
//     schema order. See Options for lists, images, BOM and formula
//     neutralisation.
//   - atom: the newest Limit records as an Atom 1.0 feed (WriteAtom).
//   - warc: raw captures as WARC/1.1 (WARC).
//   - parquet: typed columns (Parquet, parquet.go).
//
// The writers read stored records with a small JSON splitter instead of
// encoding/json (several times faster; see export_scan.go). It assumes the
// stored bytes are json.Marshal output: valid UTF-8 is passed through, not
// re-validated.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/parc-archiver/parc/record"
)

// RecordSource streams stored records (json.Marshal(record.Record)), oldest first,
// calling fn for each; raw is valid only during fn. An error from fn stops
// the stream and is returned. (*Archive).Records bound to a Filter fits:
//
//	src := func(ctx context.Context, fn func([]byte) error) error { return a.Records(ctx, f, fn) }
type RecordSource func(ctx context.Context, fn func(raw []byte) error) error

// CaptureSource streams raw captures with their WARC-Record-ID
// ("<urn:uuid:…>") and payload digest ("sha1:BASE32"); c is valid only
// during fn. (*Archive).Captures bound to a Filter fits.
type CaptureSource func(ctx context.Context, fn func(c *record.Capture, id, digest string) error) error

// Format is an export format.
type Format string

// Export formats accepted in Options.Format.
const (
	FormatJSON  Format = "json"
	FormatJSONL Format = "jsonl"
	FormatCSV   Format = "csv"
	FormatAtom  Format = "atom"
	FormatWARC  Format = "warc"
	// FormatParquet is a Parquet file with typed columns (Parquet).
	FormatParquet Format = "parquet"
)

// Formats lists the formats, as the command line names them.
func Formats() []Format {
	return []Format{FormatJSON, FormatJSONL, FormatCSV, FormatAtom, FormatWARC, FormatParquet}
}

// DefaultAtomLimit is the number of entries an Atom export holds when
// Options.Limit is zero.
const DefaultAtomLimit = 50

// Options configures the export writers. The zero value exports
// JSON Lines with every field.
type Options struct {
	// Format is json, jsonl, csv, atom, warc or parquet; empty means jsonl.
	Format Format
	// Fields selects and orders the fields of json, jsonl, csv and parquet exports
	// (see ParseFields); nil means all, in schema order. Field names are
	// checked: an unknown one fails the export with ErrUnknownField.
	Fields []record.Field
	// BOM writes a UTF-8 byte-order mark (EF BB BF) before a CSV export.
	// Excel on Windows needs it to read the file as UTF-8 (without it,
	// Vietnamese text turns into mojibake); pandas, DuckDB and LibreOffice
	// do not need it (pandas: encoding="utf-8-sig" strips it).
	BOM bool
	// RawCells turns off CSV formula neutralisation. By default a cell that
	// starts with '=', '+', '-', '@', a tab or a carriage return gets a
	// single quote prefixed ("'-5 tips"), so a spreadsheet shows it as text
	// instead of running it as a formula (OWASP CSV injection).
	RawCells bool
	// Limit is the number of newest records in an Atom export; 0 means
	// DefaultAtomLimit.
	Limit int
	// Version is parc's version, named in the Atom generator and the WARC
	// warcinfo record.
	Version string
	// Portal is the portal profile's name (warcinfo; Atom title fallback).
	Portal string
	// FeedTitle, FeedURL and FeedID describe the Atom feed: FeedURL is the
	// portal's (or the watch server's) address used as the feed's link,
	// FeedID its stable id (default "urn:parc:feed:" + Portal).
	FeedTitle, FeedURL, FeedID string
	// Now returns the current time (Atom updated when the feed is empty,
	// warcinfo date); nil means time.Now.
	Now func() time.Time
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// bufSize is the size of the buffered writer in front of the output.
const bufSize = 256 << 10

// ParseFields parses a comma-separated field list ("id,title, body") as given
// to --fields. It returns nil for an empty list (all fields), and an error
// wrapping ErrUnknownField naming the first unknown field; a field named
// twice is an error too.
func ParseFields(s string) ([]record.Field, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	seen := map[record.Field]bool{}
	var out []record.Field
	for part := range strings.SplitSeq(s, ",") {
		name := record.Field(strings.TrimSpace(part))
		if name == "" {
			return nil, fmt.Errorf("%w: empty name in %q", ErrUnknownField, s)
		}
		if !record.Known(name) {
			return nil, fmt.Errorf("%w %q (known: %s)", ErrUnknownField, name, fieldList())
		}
		if seen[name] {
			return nil, fmt.Errorf("field %q named twice", name)
		}
		seen[name] = true
		out = append(out, name)
	}
	return out, nil
}

// fieldList is the schema's field names, comma-separated, for messages.
func fieldList() string {
	names := make([]string, 0, len(record.Schema()))
	for _, f := range record.Fields() {
		names = append(names, string(f))
	}
	return strings.Join(names, ", ")
}

// columns splits stored records into the selected fields' raw values.
type columns struct {
	all   []record.Spec
	index map[string]int
	sel   []int    // indexes into all, in output order
	vals  [][]byte // raw value per field of the current record
	zero  [][]byte // raw value per field of json.Marshal(record.Record{})
	keys  [][]byte // `"name":` per selected field
	set   func(k, v []byte)
	buf   []byte // scratch for escaped keys
}

func newColumns(fields []record.Field) (*columns, error) {
	c := &columns{all: record.Schema(), index: map[string]int{}}
	for i, f := range c.all {
		c.index[string(f.Name)] = i
	}
	if fields == nil {
		for i := range c.all {
			c.sel = append(c.sel, i)
		}
	}
	for _, name := range fields {
		i, ok := c.index[string(name)]
		if !ok {
			return nil, fmt.Errorf("%w %q", ErrUnknownField, name)
		}
		c.sel = append(c.sel, i)
	}
	for _, i := range c.sel {
		c.keys = append(c.keys, []byte(quoteKey(string(c.all[i].Name))+":"))
	}
	c.vals = make([][]byte, len(c.all))
	c.zero = make([][]byte, len(c.all))
	zero, err := json.Marshal(record.Record{})
	if err != nil {
		return nil, fmt.Errorf("encode empty record: %w", err)
	}
	c.set = func(k, v []byte) {
		if i, ok := c.index[string(k)]; ok {
			c.vals[i] = v
		}
	}
	if _, err := scanMembers(zero, nil, c.set); err != nil {
		return nil, fmt.Errorf("split empty record: %w", err)
	}
	copy(c.zero, c.vals)
	return c, nil
}

// split fills c.vals from raw; fields absent from raw get their zero value
// (records stored before a field was appended to the schema).
func (c *columns) split(raw []byte) error {
	copy(c.vals, c.zero)
	var err error
	c.buf, err = scanMembers(raw, c.buf, c.set)
	return err
}

// appendObject appends the selected fields of the current record as a JSON
// object.
func (c *columns) appendObject(dst []byte) []byte {
	dst = append(dst, '{')
	for n, i := range c.sel {
		if n > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, c.keys[n]...)
		dst = append(dst, c.vals[i]...)
	}
	return append(dst, '}')
}

// Records writes the records src yields to w in opts.Format (json,
// jsonl, csv, atom or parquet) and returns how many records it wrote. w receives the
// output through a buffer flushed before returning; on error the output is
// incomplete (write to a temporary file and rename on success).
func Records(ctx context.Context, w io.Writer, src RecordSource, opts Options) (n int, err error) {
	format := opts.Format
	if format == "" {
		format = FormatJSONL
	}
	switch format {
	case FormatJSONL, FormatJSON, FormatCSV:
	case FormatAtom:
		if opts.Fields != nil {
			return 0, fmt.Errorf("export atom: fields apply to json, jsonl and csv only")
		}
		n, err = exportAtom(ctx, w, src, opts)
		if err != nil {
			return n, fmt.Errorf("export atom: %w", err)
		}
		return n, nil
	case FormatParquet:
		return Parquet(ctx, w, src, opts)
	case FormatWARC:
		return 0, fmt.Errorf("%w %q: warc exports captures (WARC)", ErrUnknownFormat, format)
	default:
		return 0, fmt.Errorf("%w %q (json, jsonl, csv, atom, warc, parquet)", ErrUnknownFormat, format)
	}
	bw := bufio.NewWriterSize(w, bufSize)
	switch format {
	case FormatJSONL:
		n, err = writeJSON(ctx, bw, src, opts.Fields, false)
	case FormatJSON:
		n, err = writeJSON(ctx, bw, src, opts.Fields, true)
	case FormatCSV:
		n, err = writeCSV(ctx, bw, src, opts)
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return n, fmt.Errorf("export %s: %w", format, err)
	}
	return n, nil
}

// writeJSON writes JSON Lines, or with array set a JSON array holding one
// record per line.
func writeJSON(ctx context.Context, bw *bufio.Writer, src RecordSource, fields []record.Field, array bool) (int, error) {
	var cols *columns
	if fields != nil {
		var err error
		if cols, err = newColumns(fields); err != nil {
			return 0, err
		}
	}
	var (
		n   int
		buf []byte
	)
	sep := []byte("\n")
	if array {
		sep = []byte(",\n")
		if _, err := bw.WriteString("[\n"); err != nil {
			return 0, err
		}
	}
	err := src(ctx, func(raw []byte) error {
		out := raw
		if cols != nil {
			if err := cols.split(raw); err != nil {
				return fmt.Errorf("record %d: %w", n+1, err)
			}
			buf = cols.appendObject(buf[:0])
			out = buf
		} else if bytes.IndexByte(raw, '\n') >= 0 || bytes.IndexByte(raw, '\r') >= 0 {
			// Indented or multi-line JSON would break JSON Lines.
			b := bytes.NewBuffer(buf[:0])
			if err := json.Compact(b, raw); err != nil {
				return fmt.Errorf("record %d: %w: %w", n+1, ErrBadRecord, err)
			}
			buf = b.Bytes()
			out = buf
		}
		if array && n > 0 {
			if _, err := bw.Write(sep); err != nil {
				return err
			}
		}
		if _, err := bw.Write(out); err != nil {
			return err
		}
		if !array {
			if err := bw.WriteByte('\n'); err != nil {
				return err
			}
		}
		n++
		return nil
	})
	if err != nil {
		return n, err
	}
	if array {
		end := "\n]\n"
		if n == 0 {
			end = "]\n"
		}
		if _, err := bw.WriteString(end); err != nil {
			return n, err
		}
	}
	return n, nil
}
