package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/parc-archiver/parc/archive"
)

// writeHistoryText prints `parc show` for a person: the record's fields
// aligned, its URLs, the body once, then each revision with its diff.
func writeHistoryText(w io.Writer, h *archive.History) error {
	r := h.Record
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	rows := [][2]string{
		{"id", r.ID}, {"title", r.Title}, {"url", r.URL}, {"published", r.Published}, {"modified", r.Modified},
		{"byline", r.Byline}, {"category", r.Category}, {"tags", strings.Join(r.Tags, ", ")},
		{"portal", r.Portal}, {"first seen", r.FirstSeen}, {"last seen", r.LastSeen}, {"last changed", r.LastChanged},
		{"gone since", r.GoneSince}, {"near duplicate of", r.NearDuplicateOf}, {"revision", fmt.Sprint(r.Revision)},
	}
	if h.Redacted != nil {
		rows = append(rows, [2]string{"redacted", h.Redacted.At + ": " + h.Redacted.Reason})
	}
	for _, row := range rows {
		if row[1] != "" {
			fmt.Fprintf(tw, "%s:\t%s\n", row[0], row[1])
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.URLs) > 1 {
		fmt.Fprintln(w, "\nurls:")
		for _, u := range r.URLs {
			fmt.Fprintf(w, "  %s\n", u)
		}
	}
	if r.Lead != "" {
		fmt.Fprintf(w, "\n%s\n", r.Lead)
	}
	if r.Body != "" {
		fmt.Fprintf(w, "\n%s\n", r.Body)
	}
	fmt.Fprintln(w, "\nrevisions:")
	for _, rv := range h.Revisions {
		writeRevisionText(w, rv)
	}
	return nil
}

func writeRevisionText(w io.Writer, rv archive.Revision) {
	fmt.Fprintf(w, "  %d  %s", rv.Revision, rv.FetchedAt)
	if rv.CaptureID != "" {
		fmt.Fprintf(w, "  capture %s", rv.CaptureID)
	}
	fmt.Fprintln(w)
	d := rv.Diff
	if d == nil {
		return
	}
	fmt.Fprintf(w, "     changed: %s; paragraphs +%d -%d ~%d\n", strings.Join(d.Fields, ", "), d.ParagraphsAdded, d.ParagraphsRemoved, d.ParagraphsChanged)
	for _, p := range d.Removed {
		fmt.Fprintf(w, "     - %s\n", p)
	}
	for _, p := range d.Added {
		fmt.Fprintf(w, "     + %s\n", p)
	}
	for _, c := range d.Changed {
		fmt.Fprintf(w, "     - %s\n     + %s\n", c.Old, c.New)
	}
}
