package extract

import (
	"time"

	"github.com/parc-archiver/parc/extract/internal/timeparse"
)

// ParseTime parses a timestamp as printed on Vietnamese and English news
// pages: "01:39' PM - Thứ tư, 27/01/2021", "03:15 CH @ Thứ Hai - 08 Tháng
// Giêng, 2024", "ngày 8 tháng 1 năm 2015", "Tháng Mười Hai 29, 2013, 14:14",
// "January 2, 2006 3:04 PM", RFC 3339, 10-digit unix seconds, and relative
// forms ("2 giờ trước", "Hôm qua 08:16") resolved against now (a zero now
// disables them). Text may carry prefixes ("Cập nhật:"), weekdays and a
// zone ("GMT+7"); without a zone the time is in loc (nil: UTC+7). A date
// without a time is midnight. It reports false for text holding no
// plausible date (year 1990-2100, real day, hour and minute).
func ParseTime(s string, loc *time.Location, now time.Time) (time.Time, bool) {
	return timeparse.ParseTime(s, loc, now)
}
