package crawler

import (
	"reflect"
	"testing"
	"time"

	"github.com/parc-archiver/parc/failure"
)

// Add counts every field of Stats: a field added to Stats and forgotten
// in Add makes this fail.
func TestStatsAddCountsEveryField(t *testing.T) {
	one := Stats{FailedURLs: []FailedURL{{URL: "http://a/1"}}}
	v := reflect.ValueOf(&one).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Int:
			f.SetInt(1)
		case reflect.Map:
			f.Set(reflect.ValueOf(map[failure.Kind]int{failure.Network: 1}))
		}
	}
	one.Duration = time.Second
	var sum Stats
	sum.Add(one)
	sum.Add(one)
	s := reflect.ValueOf(sum)
	for i := range s.NumField() {
		name, f := s.Type().Field(i).Name, s.Field(i)
		switch {
		case f.Kind() == reflect.Int && f.Int() != 2:
			t.Errorf("%s = %d after adding 1 twice", name, f.Int())
		case f.Kind() == reflect.Map && f.Len() > 0 && f.MapIndex(reflect.ValueOf(failure.Network)).Int() != 2:
			t.Errorf("%s[network] = %d after adding 1 twice", name, f.MapIndex(reflect.ValueOf(failure.Network)).Int())
		case f.Kind() == reflect.Map && f.Len() == 0:
			t.Errorf("%s is empty after adding", name)
		}
	}
	if sum.Duration != time.Second {
		t.Errorf("Duration %v: runs at once last as long as the longest", sum.Duration)
	}
	if len(sum.FailedURLs) != 2 {
		t.Errorf("%d failed URLs, want 2", len(sum.FailedURLs))
	}
}
