package export

// CSV export.
//
// Cells are written exactly as encoding/csv's Writer writes them (comma,
// LF line ends, quotes only where needed, `"` doubled), by a hand-written
// writer that avoids building []string rows; tests and FuzzCSVWriterEqual
// check it byte for byte against encoding/csv. One deliberate difference:
// a row made of one empty cell is written as `""`, because encoding/csv's
// empty line is skipped by every reader (a --fields byline export would
// lose rows).
//
// Rendering of non-text fields (schema 1):
//   - urls: the URLs joined with one space (URLs never contain spaces);
//   - tags: joined with "; " (split on "; " to get them back);
//   - images: the JSON array as stored ([{"url":…,"caption":…}]), empty
//     when there are none; it round-trips exactly through a JSON parser;
//   - revision: the number; null values: an empty cell.
// Formula neutralisation (on unless RawCells): see Options.RawCells.
// A neutralised cell reads back with the extra leading "'".

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/parc-archiver/parc/record"
)

// utf8BOM is written first when Options.BOM is set.
const utf8BOM = "\xEF\xBB\xBF"

// tagSep joins tags in a CSV cell.
const tagSep = "; "

type csvWriter struct {
	bw    *bufio.Writer
	raw   bool // RawCells
	ncols int
}

// needsNeutralising reports whether a spreadsheet could run the cell as a
// formula.
func needsNeutralising(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	switch b[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// hasSpecial reports whether b holds a byte that forces quoting.
func hasSpecial(b []byte) bool {
	for _, c := range b {
		if c == '\n' || c == '\r' || c == '"' || c == ',' {
			return true
		}
	}
	return false
}

// cellNeedsQuotes is encoding/csv's fieldNeedsQuotes for Comma ','.
func cellNeedsQuotes(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	if len(b) == 2 && b[0] == '\\' && b[1] == '.' {
		return true
	}
	if hasSpecial(b) {
		return true
	}
	r1, _ := utf8.DecodeRune(b)
	return unicode.IsSpace(r1)
}

// cell writes one cell; col is its index in the row. The output is what
// encoding/csv writes for the cell (prefixed with "'" when neutralised).
func (w *csvWriter) cell(col int, b []byte) error {
	if col > 0 {
		if err := w.bw.WriteByte(','); err != nil {
			return err
		}
	}
	prefix := !w.raw && needsNeutralising(b)
	var quote bool
	if prefix {
		// "'" + b: its first rune is no longer a space.
		quote = hasSpecial(b)
	} else {
		quote = cellNeedsQuotes(b)
	}
	if !quote {
		if prefix {
			if err := w.bw.WriteByte('\''); err != nil {
				return err
			}
		} else if len(b) == 0 && w.ncols == 1 {
			_, err := w.bw.WriteString(`""`)
			return err
		}
		_, err := w.bw.Write(b)
		return err
	}
	if err := w.bw.WriteByte('"'); err != nil {
		return err
	}
	if prefix {
		if err := w.bw.WriteByte('\''); err != nil {
			return err
		}
	}
	for len(b) > 0 {
		i := bytes.IndexByte(b, '"')
		if i < 0 {
			if _, err := w.bw.Write(b); err != nil {
				return err
			}
			break
		}
		if _, err := w.bw.Write(b[:i+1]); err != nil {
			return err
		}
		if err := w.bw.WriteByte('"'); err != nil {
			return err
		}
		b = b[i+1:]
	}
	return w.bw.WriteByte('"')
}

func (w *csvWriter) endRow() error { return w.bw.WriteByte('\n') }

// writeRow writes cells as one CSV row.
func (w *csvWriter) writeRow(cells [][]byte) error {
	for i, c := range cells {
		if err := w.cell(i, c); err != nil {
			return err
		}
	}
	return w.endRow()
}

func writeCSV(ctx context.Context, bw *bufio.Writer, src RecordSource, opts Options) (int, error) {
	cols, err := newColumns(opts.Fields)
	if err != nil {
		return 0, err
	}
	w := &csvWriter{bw: bw, raw: opts.RawCells, ncols: len(cols.sel)}
	if opts.BOM {
		if _, err := bw.WriteString(utf8BOM); err != nil {
			return 0, err
		}
	}
	// The header is never neutralised: field names are plain identifiers.
	for n, i := range cols.sel {
		if err := (&csvWriter{bw: bw, raw: true, ncols: w.ncols}).cell(n, []byte(cols.all[i].Name)); err != nil {
			return 0, err
		}
	}
	if err := w.endRow(); err != nil {
		return 0, err
	}
	var (
		n       int
		scratch []byte
		list    []byte
	)
	err = src(ctx, func(raw []byte) error {
		if err := cols.split(raw); err != nil {
			return fmt.Errorf("record %d: %w", n+1, err)
		}
		for col, i := range cols.sel {
			v := cols.vals[i]
			var text []byte
			var err error
			switch cols.all[i].Kind {
			case record.KindText, record.KindNumber:
				text, scratch, err = stringText(v, scratch)
			case record.KindList:
				sep := " "
				if cols.all[i].Name == record.FieldTags {
					sep = tagSep
				}
				list, err = appendStringList(list[:0], v, sep)
				text = list
			default:
				if !isEmptyList(v) && string(v) != "{}" {
					text = v
				}
			}
			if err != nil {
				return fmt.Errorf("record %d field %s: %w", n+1, cols.all[i].Name, err)
			}
			if err := w.cell(col, text); err != nil {
				return err
			}
		}
		if err := w.endRow(); err != nil {
			return err
		}
		n++
		return nil
	})
	return n, err
}
