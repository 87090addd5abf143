package export_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/parc-archiver/parc/export"
	"github.com/parc-archiver/parc/record"
)

// ExampleRecords exports records from an in-memory source as CSV;
// with an *archive.Archive the source is a closure over a.Records.
func ExampleRecords() {
	recs := []record.Record{
		{ID: "39132255b0a96a47", Title: "Ban chỉ đạo 35", Byline: "HỒNG LIÊN", Tags: []string{"Đảng ủy", "BCĐ 35"}},
		{ID: "a1b2c3d4e5f60718", Title: "-5% giá phân bón", Body: "Đoạn một.\n\nĐoạn \"hai\"."},
	}
	src := func(ctx context.Context, fn func(raw []byte) error) error {
		for _, r := range recs {
			raw, err := json.Marshal(r)
			if err != nil {
				return err
			}
			if err := fn(raw); err != nil {
				return err
			}
		}
		return nil
	}
	fields, err := export.ParseFields("id,title,byline,tags,body")
	if err != nil {
		fmt.Println(err)
		return
	}
	n, err := export.Records(context.Background(), os.Stdout, src, export.Options{Format: "csv", Fields: fields})
	fmt.Println(n, err)
	// Output:
	// id,title,byline,tags,body
	// 39132255b0a96a47,Ban chỉ đạo 35,HỒNG LIÊN,Đảng ủy; BCĐ 35,
	// a1b2c3d4e5f60718,'-5% giá phân bón,,,"Đoạn một.
	//
	// Đoạn ""hai""."
	// 2 <nil>
}
