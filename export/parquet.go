package export

// Parquet export, written with github.com/parquet-go/parquet-go, for
// analysts (pandas, DuckDB, Polars, Spark): typed columns instead of
// text that every reader must parse again.
//
// Column types (docs/SCHEMA.md has the table):
//   - the six timestamps (published, modified, first_seen, last_seen,
//     last_changed, gone_since): TIMESTAMP(MICROS, isAdjustedToUTC=true),
//     NULL when the record has none. published and modified are printed
//     by the portal with its own offset: it is kept in the companion
//     columns published_offset and modified_offset (INT16, minutes east
//     of UTC, NULL with the timestamp), written right after their
//     timestamp. The other four are UTC in every record: no companion.
//   - revision: INT64;
//   - urls and tags: LIST of STRING; images: LIST of STRUCT(url STRING,
//     caption STRING, NULL when the image has none). A list the stored
//     record lacks (stored before the field existed, or null) is NULL;
//     an empty one is an empty list.
//   - id, url, title, body, content_hash, extraction: STRING, never NULL;
//     the other text fields: STRING, NULL when empty.
//
// Memory stays flat: the writer closes a row group once it holds
// parquetGroupBytes of text (or parquetGroupRows rows), so at most one
// row group is buffered whatever the archive's size. Pages are zstd-compressed (parquet-go's default level).

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/zstd"

	"github.com/parc-archiver/parc/record"
)

// Row-group bounds: a group is closed once it holds this much text or
// this many rows, whichever comes first.
const (
	parquetGroupBytes = 32 << 20
	parquetGroupRows  = 16384
)

// parquetImage is one element of the images column.
type parquetImage struct {
	URL     string `parquet:"url"`
	Caption string `parquet:"caption,optional"`
}

// parquetRow is one record as a Parquet row, every column in schema
// order (companion offsets after their timestamp). A --fields export
// writes a struct type made of the selected fields of this one
// (parquetColumns). The parquet tags are the column names and types.
type parquetRow struct {
	ID              string         `parquet:"id"`
	URL             string         `parquet:"url"`
	URLs            []string       `parquet:"urls,optional,list"`
	Title           string         `parquet:"title"`
	Published       time.Time      `parquet:"published,optional,timestamp(microsecond:utc)"`
	PublishedOffset *int16         `parquet:"published_offset,optional"`
	Byline          string         `parquet:"byline,optional"`
	Category        string         `parquet:"category,optional"`
	Body            string         `parquet:"body"`
	ContentHash     string         `parquet:"content_hash"`
	FirstSeen       time.Time      `parquet:"first_seen,optional,timestamp(microsecond:utc)"`
	LastSeen        time.Time      `parquet:"last_seen,optional,timestamp(microsecond:utc)"`
	Revision        int64          `parquet:"revision"`
	Extraction      string         `parquet:"extraction"`
	Portal          string         `parquet:"portal,optional"`
	Modified        time.Time      `parquet:"modified,optional,timestamp(microsecond:utc)"`
	ModifiedOffset  *int16         `parquet:"modified_offset,optional"`
	LastChanged     time.Time      `parquet:"last_changed,optional,timestamp(microsecond:utc)"`
	GoneSince       time.Time      `parquet:"gone_since,optional,timestamp(microsecond:utc)"`
	NearDuplicateOf string         `parquet:"near_duplicate_of,optional"`
	Lead            string         `parquet:"lead,optional"`
	Tags            []string       `parquet:"tags,optional,list"`
	Images          []parquetImage `parquet:"images,optional,list"`
	CaptureID       string         `parquet:"capture_id,optional"`
	CaptureDigest   string         `parquet:"capture_digest,optional"`
}

// parquetCompanions maps a field to the columns of parquetRow that write
// it: its own, and the companion offset of published and modified.
var parquetCompanions = map[record.Field][]string{
	record.FieldPublished: {"Published", "PublishedOffset"},
	record.FieldModified:  {"Modified", "ModifiedOffset"},
}

// parquetColumns returns the indexes in parquetRow of the columns that
// write fields, in the order given (nil: every column).
func parquetColumns(fields []record.Field) ([]int, error) {
	rt := reflect.TypeFor[parquetRow]()
	byName := map[string]int{}
	byTag := map[record.Field]int{}
	for i := range rt.NumField() {
		f := rt.Field(i)
		byName[f.Name] = i
		tag, _, _ := cutComma(f.Tag.Get("parquet"))
		byTag[record.Field(tag)] = i
	}
	if fields == nil {
		fields = record.Fields()
	}
	var idx []int
	for _, f := range fields {
		if names, ok := parquetCompanions[f]; ok {
			for _, n := range names {
				idx = append(idx, byName[n])
			}
			continue
		}
		i, ok := byTag[f]
		if !ok {
			return nil, fmt.Errorf("%w %q", ErrUnknownField, f)
		}
		idx = append(idx, i)
	}
	return idx, nil
}

func cutComma(s string) (string, string, bool) {
	for i := range len(s) {
		if s[i] == ',' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// parquetProjection writes parquetRows as rows of a struct type made of
// some of their columns.
type parquetProjection struct {
	cols    []int
	typ     reflect.Type  // nil: parquetRow itself
	scratch reflect.Value // *typ, reused by value
}

func newParquetProjection(fields []record.Field) (*parquetProjection, error) {
	if fields == nil {
		return &parquetProjection{}, nil
	}
	cols, err := parquetColumns(fields)
	if err != nil {
		return nil, err
	}
	rt := reflect.TypeFor[parquetRow]()
	sf := make([]reflect.StructField, len(cols))
	for i, c := range cols {
		sf[i] = rt.Field(c)
		sf[i].Index, sf[i].Offset = nil, 0
	}
	return &parquetProjection{cols: cols, typ: reflect.StructOf(sf)}, nil
}

// value returns r as a row of the projected type, for Writer.Write;
// the value is reused by the next call.
func (p *parquetProjection) value(r *parquetRow) any {
	if p.typ == nil {
		return r
	}
	if !p.scratch.IsValid() {
		p.scratch = reflect.New(p.typ)
	}
	src, dst := reflect.ValueOf(r).Elem(), p.scratch.Elem()
	for j, c := range p.cols {
		dst.Field(j).Set(src.Field(c))
	}
	return p.scratch.Interface()
}

// Parquet writes the records src yields to w as one Parquet file and
// returns how many it wrote. opts.Fields selects and orders the columns
// (published and modified bring their offset column along). The file is
// complete only when Parquet returns nil (its footer is written last).
func Parquet(ctx context.Context, w io.Writer, src RecordSource, opts Options) (int, error) {
	proj, err := newParquetProjection(opts.Fields)
	if err != nil {
		return 0, fmt.Errorf("export parquet: %w", err)
	}
	var schema *parquet.Schema
	if proj.typ == nil {
		schema = parquet.SchemaOf(parquetRow{})
	} else {
		schema = parquet.SchemaOf(reflect.New(proj.typ).Interface())
	}
	pw := parquet.NewWriter(w, schema, parquet.Compression(&zstd.Codec{}),
		parquet.CreatedBy("parc", versionOr(opts.Version), ""))
	g := &parquetGroups{pw: pw, proj: proj}
	n := 0
	err = src(ctx, func(raw []byte) error {
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		r, size, err := parquetRowOf(raw)
		if err != nil {
			return fmt.Errorf("record %d: %w", n+1, err)
		}
		n++
		return g.add(r, size)
	})
	if err == nil {
		err = g.endGroup()
	}
	if err == nil {
		err = pw.Close()
	}
	if err != nil {
		return n, fmt.Errorf("export parquet: %w", err)
	}
	return n, nil
}

func versionOr(v string) string {
	if v == "" {
		return "dev"
	}
	return v
}

// parquetGroups writes rows and closes a row group once it is large
// enough.
type parquetGroups struct {
	pw         *parquet.Writer
	proj       *parquetProjection
	groupBytes int   // text bytes in the open row group
	groupRows  int64 // rows in the open row group
}

func (g *parquetGroups) add(r *parquetRow, size int) error {
	if err := g.pw.Write(g.proj.value(r)); err != nil {
		return err
	}
	g.groupBytes += size
	g.groupRows++
	if g.groupBytes < parquetGroupBytes && g.groupRows < parquetGroupRows {
		return nil
	}
	return g.endGroup()
}

// endGroup closes the open row group, if it holds rows.
func (g *parquetGroups) endGroup() error {
	if g.groupRows == 0 {
		return nil
	}
	g.groupBytes, g.groupRows = 0, 0
	return g.pw.Flush()
}

// parquetRowOf decodes one stored record into a row; size is the length
// of its text, for the row-group bound.
func parquetRowOf(raw []byte) (*parquetRow, int, error) {
	var rec struct {
		record.Record
		// Pointers tell a list the record lacks (null) from an empty one.
		URLs *[]string       `json:"urls"`
		Tags *[]string       `json:"tags"`
		Imgs *[]record.Image `json:"images"`
	}
	if err := json.Unmarshal(raw, &rec); err != nil {
		return nil, 0, fmt.Errorf("%w: %w", ErrBadRecord, err)
	}
	r := rec.Record
	row := &parquetRow{
		ID: r.ID, URL: r.URL, Title: r.Title, Byline: r.Byline, Category: r.Category, Body: r.Body,
		ContentHash: r.ContentHash, Revision: int64(r.Revision), Extraction: r.Extraction, Portal: r.Portal,
		NearDuplicateOf: r.NearDuplicateOf, Lead: r.Lead, CaptureID: r.CaptureID, CaptureDigest: r.CaptureDigest,
	}
	if rec.URLs != nil {
		row.URLs = nonNil(*rec.URLs)
	}
	if rec.Tags != nil {
		row.Tags = nonNil(*rec.Tags)
	}
	if rec.Imgs != nil {
		row.Images = make([]parquetImage, len(*rec.Imgs))
		for i, im := range *rec.Imgs {
			row.Images[i] = parquetImage{URL: im.URL, Caption: im.Caption}
		}
	}
	var err error
	stamps := []struct {
		field  record.Field
		text   string
		t      *time.Time
		offset **int16
	}{
		{record.FieldPublished, r.Published, &row.Published, &row.PublishedOffset},
		{record.FieldModified, r.Modified, &row.Modified, &row.ModifiedOffset},
		{record.FieldFirstSeen, r.FirstSeen, &row.FirstSeen, nil},
		{record.FieldLastSeen, r.LastSeen, &row.LastSeen, nil},
		{record.FieldLastChanged, r.LastChanged, &row.LastChanged, nil},
		{record.FieldGoneSince, r.GoneSince, &row.GoneSince, nil},
	}
	for _, s := range stamps {
		if s.text == "" {
			continue
		}
		t, perr := time.Parse(time.RFC3339, s.text)
		if perr != nil {
			err = fmt.Errorf("%w: %s %q is not RFC 3339", ErrBadRecord, s.field, s.text)
			break
		}
		*s.t = t.UTC()
		if s.offset != nil {
			_, off := t.Zone()
			m := int16(off / 60)
			*s.offset = &m
		}
	}
	return row, len(raw), err
}

// nonNil returns s, or an empty slice for nil: the record had the list,
// empty.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
