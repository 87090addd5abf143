package timeparse

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// stripMarks removes diacritics but keeps case: "Thứ Tư" -> "Thu Tu".
func stripMarks(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ':
			b.WriteRune('d')
		case r == 'Đ':
			b.WriteRune('D')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestParseTime(t *testing.T) {
	loc := DefaultLocation()
	now := time.Date(2024, 4, 19, 10, 30, 0, 0, loc)
	for _, tc := range []struct{ in, want string }{
		// docs/PORTAL.md "Timestamps seen on Vietnamese sites", row by row
		{"01:39' PM - Thứ tư, 27/01/2021", "2021-01-27T13:39:00+07:00"},
		{"09:58' AM - Wednesday, 29/10/2014", "2014-10-29T09:58:00+07:00"},
		{"03:15 CH @ Thứ Hai - 08 Tháng Giêng, 2024", "2024-01-08T15:15:00+07:00"},
		{"08/01/2024 03:15 CH", "2024-01-08T15:15:00+07:00"},
		{"08/01/2024 03:15 SA", "2024-01-08T03:15:00+07:00"},
		{"Thứ tư, 22/10/2025, 19:25 (GMT+7)", "2025-10-22T19:25:00+07:00"},
		{"Thứ năm, 2/11/2023, 19:20 (GMT+7)", "2023-11-02T19:20:00+07:00"},
		{"Thứ năm, 25/02/2021 - 15:52", "2021-02-25T15:52:00+07:00"},
		{"29/12/2025 22:32 GMT+7", "2025-12-29T22:32:00+07:00"},
		{"30-03-2026 - 13:57 PM", "2026-03-30T13:57:00+07:00"},
		{"- 14:05 03/11/2025", "2025-11-03T14:05:00+07:00"},
		{"14:05, 03/11/2025", "2025-11-03T14:05:00+07:00"},
		{"14:05 | 03/11/2025", "2025-11-03T14:05:00+07:00"},
		{"Thứ tư - 17/11/2021 18:22", "2021-11-17T18:22:00+07:00"},
		{"Thứ hai, 25 Tháng bảy 2022", "2022-07-25T00:00:00+07:00"},
		{"05 Tháng một 2015 - 03:54 AM", "2015-01-05T03:54:00+07:00"},
		{"Thứ Năm, ngày 8 tháng 1 năm 2015", "2015-01-08T00:00:00+07:00"},
		{"9 Tháng 1 2015 lúc 15:08", "2015-01-09T15:08:00+07:00"},
		{"21 thg 5, 2008", "2008-05-21T00:00:00+07:00"},
		{"Tháng Mười Hai 29, 2013, 14:14", "2013-12-29T14:14:00+07:00"},
		{"Date: 21/01/2026", "2026-01-21T00:00:00+07:00"},
		{"Ngày đăng: 21/01/2026", "2026-01-21T00:00:00+07:00"},
		{"Cập nhật: 21/01/2026 08:00", "2026-01-21T08:00:00+07:00"},
		{"Đăng lúc 10:15 ngày 02.03.2022", "2022-03-02T10:15:00+07:00"},
		{"Thanh Thuý - 11/08/2014 06:02", "2014-08-11T06:02:00+07:00"},
		{"2025-10-22T19:25:52+07:00", "2025-10-22T19:25:52+07:00"},
		{"2025-10-22T12:25:52Z", "2025-10-22T12:25:52Z"},
		{"2025-10-22", "2025-10-22T00:00:00+07:00"},
		{"1698927645", "2023-11-02T19:20:45+07:00"},
		{"1 giờ trước", "2024-04-19T09:30:00+07:00"},
		{"30 phút trước", "2024-04-19T10:00:00+07:00"},
		{"3 ngày trước", "2024-04-16T10:30:00+07:00"},
		{"Hôm qua 08:16", "2024-04-18T08:16:00+07:00"},
		{"Hôm nay 15:39", "2024-04-19T15:39:00+07:00"},
		// month words
		{"1 Tháng Giêng 2020", "2020-01-01T00:00:00+07:00"},
		{"1 Tháng Một 2020", "2020-01-01T00:00:00+07:00"},
		{"1 Tháng Tư 2020", "2020-04-01T00:00:00+07:00"},
		{"1 Tháng Năm 2020", "2020-05-01T00:00:00+07:00"},
		{"1 tháng bảy 2020", "2020-07-01T00:00:00+07:00"},
		{"1 Tháng Mười 2020", "2020-10-01T00:00:00+07:00"},
		{"1 Tháng Mười Một 2020", "2020-11-01T00:00:00+07:00"},
		{"1 Tháng Mười Hai 2020", "2020-12-01T00:00:00+07:00"},
		{"1 Tháng Chạp 2020", "2020-12-01T00:00:00+07:00"},
		{"5 Thg12, 2020", "2020-12-05T00:00:00+07:00"},
		{"Thg1 5, 2020", "2020-01-05T00:00:00+07:00"},
		{"THỨ HAI, 08 THÁNG GIÊNG, 2024 03:15 CH", "2024-01-08T15:15:00+07:00"},
		// English
		{"Wednesday, 29/10/2014", "2014-10-29T00:00:00+07:00"},
		{"January 2, 2006", "2006-01-02T00:00:00+07:00"},
		{"Jan 2, 2006 3:04 PM", "2006-01-02T15:04:00+07:00"},
		{"2 January 2006 12:30 AM", "2006-01-02T00:30:00+07:00"},
		{"Mon, 2 Jan 2006 15:04 UTC+9", "2006-01-02T15:04:00+09:00"},
		// separators and clocks
		{"27.01.2021 7h30", "2021-01-27T07:30:00+07:00"},
		{"27-01-2021 12:00 PM", "2021-01-27T12:00:00+07:00"},
	} {
		variants := map[string]string{"nfc": tc.in, "nfd": norm.NFD.String(tc.in), "no-diacritics": stripMarks(tc.in), "lower": strings.ToLower(tc.in)}
		for vname, in := range variants {
			t.Run(tc.in+"/"+vname, func(t *testing.T) {
				got, ok := ParseTime(in, loc, now)
				if !ok {
					t.Fatalf("ParseTime(%q) found no date", in)
				}
				if s := got.Format(time.RFC3339); s != tc.want {
					t.Errorf("ParseTime(%q) = %s, want %s", in, s, tc.want)
				}
			})
		}
	}
}

func TestParseTimeRejects(t *testing.T) {
	now := time.Date(2024, 4, 19, 10, 30, 0, 0, time.UTC)
	for _, in := range []string{
		"", "hello world", "Thứ tư", "Tin tức", "31/02/2020", "30/02/2021 10:00", "25:00 01/01/2020",
		"01/13/2020", "12:75 01/01/2020", "01/01/1850", "01/01/2150", "Giá 12.500 đồng", "Số 123/456/789",
		"0912345678", "Chương 3, mục 4", "Tháng Mười Hai", "2 giờ", "Trang 2/10",
	} {
		t.Run(in, func(t *testing.T) {
			if got, ok := ParseTime(in, nil, now); ok {
				t.Errorf("ParseTime(%q) = %v, want no date", in, got)
			}
		})
	}
	t.Run("relative-without-now", func(t *testing.T) {
		if got, ok := ParseTime("2 giờ trước", nil, time.Time{}); ok {
			t.Errorf("relative date without fetch time: %v", got)
		}
	})
	t.Run("default-location", func(t *testing.T) {
		got, ok := ParseTime("27/01/2021 13:39", nil, time.Time{})
		if !ok || got.Format(time.RFC3339) != "2021-01-27T13:39:00+07:00" {
			t.Errorf("got %v %v", got, ok)
		}
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"01:39' PM - Thứ tư, 27/01/2021", "03:15 CH @ Thứ Hai - 08 Tháng Giêng, 2024", "2 giờ trước", "1698927645", "Tháng Mười Hai 29, 2013, 14:14", "hello", "31/02/2020", "2025-10-22T19:25:52+07:00"} {
		f.Add(s)
	}
	now := time.Date(2024, 4, 19, 10, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseTime(s, nil, now)
		if !ok {
			if !got.IsZero() {
				t.Fatalf("no date but non-zero time %v", got)
			}
			return
		}
		if y := got.Year(); y < 1990 || y > 2101 {
			t.Fatalf("ParseTime(%q) = %v: implausible year", s, got)
		}
		if !strings.ContainsAny(s, "0123456789") {
			t.Fatalf("ParseTime(%q) = %v from text without digits", s, got)
		}
	})
}

func BenchmarkParseTime(b *testing.B) {
	now := time.Date(2024, 4, 19, 10, 30, 0, 0, time.UTC)
	in := []string{"01:39' PM - Thứ tư, 27/01/2021", "03:15 CH @ Thứ Hai - 08 Tháng Giêng, 2024", "2025-10-22T19:25:52+07:00", "Thanh Thuý - 11/08/2014 06:02"}
	loc := DefaultLocation()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, ok := ParseTime(in[i%len(in)], loc, now); !ok {
			b.Fatal("no date")
		}
	}
}

func TestEuropeanMonthWords(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	for s, want := range map[string]time.Time{
		"28. Januar 2015": time.Date(2015, 1, 28, 0, 0, 0, 0, berlin),
		"Veröffentlicht: 3. März 2024, 14:05 Uhr": time.Date(2024, 3, 3, 14, 5, 0, 0, berlin),
		"le 1er août 2023":                        time.Date(2023, 8, 1, 0, 0, 0, 0, berlin),
		"17 de marzo de 2020":                     time.Date(2020, 3, 17, 0, 0, 0, 0, berlin),
		"12. Dezember 2021":                       time.Date(2021, 12, 12, 0, 0, 0, 0, berlin),
	} {
		got, ok := ParseTime(s, berlin, time.Time{})
		if !ok || !got.Equal(want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
}

func TestIsDatePartKeepsVietnameseNames(t *testing.T) {
	// "Mai" and "Lê" are Vietnamese names, not the French month and article.
	for _, name := range []string{"MAI", "Lê Mai", "Nguyễn Văn An"} {
		if IsDatePart(name) {
			t.Errorf("IsDatePart(%q) = true, want a name", name)
		}
	}
	for _, part := range []string{"23. Dezember 2009", "17 de marzo de 2020", "Thứ Hai, 08/01/2024", "Ngày đăng: 27 thg 1, 2021"} {
		if !IsDatePart(part) {
			t.Errorf("IsDatePart(%q) = false, want a date part", part)
		}
	}
}

func TestDateInPath(t *testing.T) {
	for path, want := range map[string]string{
		"/2024/05/03/headline":                     "2024-05-03",
		"/news/2024-05-03-headline.html":           "2024-05-03",
		"/de/newsroom/23-01-2022-dorothea-wierer":  "2022-01-23",
		"/aktuelles/08112021-online-fachtag":       "2021-11-08",
		"/news/31-02-2022-no-such-day":             "",
		"/diy/20546/wie-man-eine-runde-tischdecke": "",
		"/p/12345678-item":                         "",
		"/tin-tuc/hoi-nghi-tong-ket-2020.html":     "",
	} {
		got, ok := DateInPath(path, time.UTC)
		if s := got.Format("2006-01-02"); ok != (want != "") || ok && s != want {
			t.Errorf("DateInPath(%q) = %s, %v; want %q", path, s, ok, want)
		}
	}
}

func TestTwoDigitYearBetweenDots(t *testing.T) {
	berlin := time.FixedZone("CEST", 2*3600)
	for s, want := range map[string]string{
		"Do 25.04.24 | 14:07 Uhr  | Von": "2024-04-25T14:07:00+02:00",
		"Stand: 03.11.98":                "1998-11-03T00:00:00+02:00",
		"25.04.2024":                     "2024-04-25T00:00:00+02:00",
	} {
		got, ok := ParseTime(s, berlin, time.Time{})
		if !ok || got.Format(time.RFC3339) != want {
			t.Errorf("ParseTime(%q) = %v, %v; want %s", s, got, ok, want)
		}
	}
	for _, s := range []string{"31.02.24", "25.13.24", "192.168.10.12"} {
		if got, ok := ParseTime(s, berlin, time.Time{}); ok {
			t.Errorf("ParseTime(%q) = %v, want no date", s, got)
		}
	}
}
