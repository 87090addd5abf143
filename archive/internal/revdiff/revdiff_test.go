package revdiff

import (
	"reflect"
	"testing"

	"github.com/parc-archiver/parc/record"
)

func TestRecordsNamesFieldsAndAlignsParagraphs(t *testing.T) {
	old := &record.Record{Title: "Tin", Byline: "HỒNG LIÊN", Tags: []string{"a"},
		Body: "Một.\n\nHai.\n\nBa.\n\nBốn."}
	cur := &record.Record{Title: "Tin mới", Byline: "HỒNG LIÊN", Tags: []string{"a"},
		Body: "Một.\n\nHai, đã sửa.\n\nBa.\n\nNăm.\n\nSáu."}
	d := Records(old, cur)
	if want := []string{"title", "body"}; !reflect.DeepEqual(d.Fields, want) {
		t.Errorf("fields %v, want %v", d.Fields, want)
	}
	wantChanged := []ParagraphChange{{Old: "Hai.", New: "Hai, đã sửa."}, {Old: "Bốn.", New: "Năm."}}
	if !reflect.DeepEqual(d.Changed, wantChanged) || !reflect.DeepEqual(d.Added, []string{"Sáu."}) || len(d.Removed) != 0 {
		t.Errorf("changed %q added %q removed %q", d.Changed, d.Added, d.Removed)
	}
	if d.ParagraphsChanged != 2 || d.ParagraphsAdded != 1 || d.ParagraphsRemoved != 0 {
		t.Errorf("counts ~%d +%d -%d", d.ParagraphsChanged, d.ParagraphsAdded, d.ParagraphsRemoved)
	}
	if same := Records(old, old); len(same.Fields) != 0 || len(same.Changed)+len(same.Added)+len(same.Removed) != 0 {
		t.Errorf("a record against itself: %+v", same)
	}
}
