package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/parc-archiver/parc/extract"
	"github.com/parc-archiver/parc/record"
)

// writeRecordText prints an extracted record for a person: its fields
// aligned, then the lead and the body, then (with --explain) which rule
// found each field and what was removed.
func writeRecordText(w io.Writer, rec record.Record, art *extract.Article, explain bool) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	rows := [][2]string{
		{"url", rec.URL}, {"title", rec.Title}, {"published", rec.Published}, {"modified", rec.Modified},
		{"byline", rec.Byline}, {"category", rec.Category}, {"tags", strings.Join(rec.Tags, ", ")},
		{"images", fmt.Sprint(len(rec.Images))}, {"extraction", rec.Extraction},
	}
	for _, r := range rows {
		fmt.Fprintf(tw, "%s:\t%s\n", r[0], r[1])
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if rec.Lead != "" {
		fmt.Fprintf(w, "\n%s\n", rec.Lead)
	}
	fmt.Fprintf(w, "\n%s\n", rec.Body)
	if !explain {
		return nil
	}
	fmt.Fprintln(w, "\nexplain:")
	fields := make([]string, 0, len(art.Fields))
	for f := range art.Fields {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		if r := art.Rules[f]; r != "" {
			fmt.Fprintf(w, "  %s: %s (rule %s)\n", f, art.Fields[f], r)
			continue
		}
		fmt.Fprintf(w, "  %s: %s\n", f, art.Fields[f])
	}
	if r := art.Rules["body-start"]; r != "" {
		fmt.Fprintf(w, "  body-start: %s\n", r)
	}
	for _, r := range art.Removed {
		fmt.Fprintf(w, "  removed by %s: %s %q\n", r.Rule, r.What, r.Text)
	}
	return nil
}
