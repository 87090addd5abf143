package record

// Field names one field of the export record: its JSON key and CSV column.
type Field string

// The export record's fields, in schema order.
const (
	FieldID              Field = "id"
	FieldURL             Field = "url"
	FieldURLs            Field = "urls"
	FieldTitle           Field = "title"
	FieldPublished       Field = "published"
	FieldByline          Field = "byline"
	FieldCategory        Field = "category"
	FieldBody            Field = "body"
	FieldContentHash     Field = "content_hash"
	FieldFirstSeen       Field = "first_seen"
	FieldLastSeen        Field = "last_seen"
	FieldRevision        Field = "revision"
	FieldExtraction      Field = "extraction"
	FieldPortal          Field = "portal"
	FieldModified        Field = "modified"
	FieldLastChanged     Field = "last_changed"
	FieldGoneSince       Field = "gone_since"
	FieldNearDuplicateOf Field = "near_duplicate_of"
	FieldLead            Field = "lead"
	FieldTags            Field = "tags"
	FieldImages          Field = "images"
	FieldCaptureID       Field = "capture_id"
	FieldCaptureDigest   Field = "capture_digest"
)

// Kind is the JSON shape of a field's value, which decides how a format
// without nesting (CSV) writes it.
type Kind uint8

// Kinds of field values.
const (
	KindText   Kind = iota // a string
	KindNumber             // a number
	KindList               // a list of strings
	KindJSON               // anything else (images: a list of objects)
)

// Spec describes one field of the schema.
type Spec struct {
	Name Field
	Kind Kind
}

// Schema returns the export record's fields in schema order (the order
// of Record's fields and of a full CSV export's columns). The caller may
// keep and modify the slice.
func Schema() []Spec {
	return []Spec{
		{FieldID, KindText}, {FieldURL, KindText}, {FieldURLs, KindList}, {FieldTitle, KindText},
		{FieldPublished, KindText}, {FieldByline, KindText}, {FieldCategory, KindText}, {FieldBody, KindText},
		{FieldContentHash, KindText}, {FieldFirstSeen, KindText}, {FieldLastSeen, KindText}, {FieldRevision, KindNumber},
		{FieldExtraction, KindText}, {FieldPortal, KindText}, {FieldModified, KindText}, {FieldLastChanged, KindText},
		{FieldGoneSince, KindText}, {FieldNearDuplicateOf, KindText}, {FieldLead, KindText}, {FieldTags, KindList},
		{FieldImages, KindJSON}, {FieldCaptureID, KindText}, {FieldCaptureDigest, KindText},
	}
}

// Fields returns the field names in schema order.
func Fields() []Field {
	s := Schema()
	out := make([]Field, len(s))
	for i, f := range s {
		out[i] = f.Name
	}
	return out
}

// Known reports whether f is a field of the schema.
func Known(f Field) bool {
	for _, s := range Schema() {
		if s.Name == f {
			return true
		}
	}
	return false
}
