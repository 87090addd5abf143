package record

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// Schema is written out by hand so that a reader sees the schema; this
// test keeps it equal to Record's JSON fields, in order, with the right
// kinds.
func TestSchemaMatchesRecord(t *testing.T) {
	rt := reflect.TypeFor[Record]()
	s := Schema()
	if rt.NumField() != len(s) {
		t.Fatalf("Record has %d fields, Schema %d", rt.NumField(), len(s))
	}
	for i := range rt.NumField() {
		f := rt.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if Field(name) != s[i].Name {
			t.Errorf("field %d: Record says %q, Schema %q", i, name, s[i].Name)
		}
		want := KindJSON
		switch {
		case f.Type.Kind() == reflect.String:
			want = KindText
		case f.Type.Kind() == reflect.Int:
			want = KindNumber
		case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.String:
			want = KindList
		}
		if s[i].Kind != want {
			t.Errorf("field %q: kind %d, want %d", name, s[i].Kind, want)
		}
	}
	if !Known(FieldBody) || Known("bogus") {
		t.Error("Known")
	}
}

// The JSON of a record is what archives store: its key order and empty
// values are part of export schema 1.
func TestRecordJSON(t *testing.T) {
	b, err := json.Marshal(Record{ID: "x", Images: []Image{{URL: "u"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"x","url":"","urls":null,"title":"","published":"","byline":"","category":"","body":"","content_hash":"","first_seen":"","last_seen":"","revision":0,"extraction":"","portal":"","modified":"","last_changed":"","gone_since":"","near_duplicate_of":"","lead":"","tags":null,"images":[{"url":"u"}],"capture_id":"","capture_digest":""}`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
}
