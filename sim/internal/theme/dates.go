package theme

import (
	"strconv"
	"time"
)

// Format is one visible date format, from the table of timestamps seen on
// Vietnamese sites in docs/PORTAL.md. DateOnly formats lack the time of
// day: a theme that prints one always wraps it in <time datetime> so the
// page still carries the minute the truth has.
type Format struct {
	Name     string
	Example  string // Append of ExampleAt
	At       time.Time
	DateOnly bool
	Append   func(b []byte, t time.Time) []byte
}

// vn is Asia/Ho_Chi_Minh (UTC+7, no daylight saving).
var vn = time.FixedZone("ICT", 7*3600)

var (
	weekdaysLower = [7]string{"Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"}
	weekdaysUpper = [7]string{"Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"}
	monthsNET     = [12]string{"Tháng Giêng", "Tháng Hai", "Tháng Ba", "Tháng Tư", "Tháng Năm", "Tháng Sáu",
		"Tháng Bảy", "Tháng Tám", "Tháng Chín", "Tháng Mười", "Tháng Mười Một", "Tháng Mười Hai"}
	monthsLower = [12]string{"Tháng một", "Tháng hai", "Tháng ba", "Tháng tư", "Tháng năm", "Tháng sáu",
		"Tháng bảy", "Tháng tám", "Tháng chín", "Tháng mười", "Tháng mười một", "Tháng mười hai"}
	monthsUpper = [12]string{"Tháng Một", "Tháng Hai", "Tháng Ba", "Tháng Tư", "Tháng Năm", "Tháng Sáu",
		"Tháng Bảy", "Tháng Tám", "Tháng Chín", "Tháng Mười", "Tháng Mười Một", "Tháng Mười Hai"}
)

func at(y int, mo time.Month, d, h, mi int) time.Time { return time.Date(y, mo, d, h, mi, 0, 0, vn) }

// formats is the table of date formats (read-only).
var formats = []Format{
	{"vieportal", "01:39' PM - Thứ tư, 27/01/2021", at(2021, 1, 27, 13, 39), false, fmtPortal},
	{"vieapps", "03:15 CH @ Thứ Hai - 08 Tháng Giêng, 2024", at(2024, 1, 8, 15, 15), false, fmtApps},
	{"vieapps_list", "08/01/2024 03:15 CH", at(2024, 1, 8, 15, 15), false, fmtAppsList},
	{"weekday_gmt7", "Thứ năm, 2/11/2023, 19:20 (GMT+7)", at(2023, 11, 2, 19, 20), false, fmtWeekdayGMT7},
	{"weekday_dash_time", "Thứ năm, 25/02/2021 - 15:52", at(2021, 2, 25, 15, 52), false, fmtWeekdayDashTime},
	{"gmt7", "29/12/2025 22:32 GMT+7", at(2025, 12, 29, 22, 32), false, fmtGMT7},
	{"dash_redundant_ampm", "30-03-2026 - 13:57 PM", at(2026, 3, 30, 13, 57), false, fmtRedundantAMPM},
	{"time_first_dash", "- 14:05 03/11/2025", at(2025, 11, 3, 14, 5), false, timeFirst("- ", " ")},
	{"time_first_comma", "14:05, 03/11/2025", at(2025, 11, 3, 14, 5), false, timeFirst("", ", ")},
	{"time_first_bar", "14:05 | 03/11/2025", at(2025, 11, 3, 14, 5), false, timeFirst("", " | ")},
	{"weekday_dash_first", "Thứ tư - 17/11/2021 18:22", at(2021, 11, 17, 18, 22), false, fmtWeekdayFirst},
	{"month_word_ampm", "05 Tháng một 2015 - 03:54 AM", at(2015, 1, 5, 3, 54), false, fmtMonthWordAMPM},
	{"long_luc", "9 Tháng 1 2015 lúc 15:08", at(2015, 1, 9, 15, 8), false, fmtLongLuc},
	{"month_first", "Tháng Mười Hai 29, 2013, 14:14", at(2013, 12, 29, 14, 14), false, fmtMonthFirst},
	{"long_date_only", "Thứ Năm, ngày 8 tháng 1 năm 2015", at(2015, 1, 8, 9, 0), true, fmtLongDate},
	{"month_word_date_only", "Thứ hai, 25 Tháng bảy 2022", at(2022, 7, 25, 9, 0), true, fmtMonthWordDate},
	{"short_month_date_only", "21 thg 5, 2008", at(2008, 5, 21, 9, 0), true, fmtShortMonth},
	{"dmy_date_only", "21/01/2026", at(2026, 1, 21, 9, 0), true, fmtDMYOnly},
}

// Formats returns a copy of the table of date formats.
func Formats() []Format { return append([]Format(nil), formats...) }

func dateFormatNames() []string {
	out := make([]string, len(formats))
	for i, f := range formats {
		out[i] = f.Name
	}
	return out
}

func pad2(b []byte, n int) []byte {
	if n < 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(n), 10)
}

func num(b []byte, n int) []byte { return strconv.AppendInt(b, int64(n), 10) }

func hour12(h int) int {
	if h %= 12; h == 0 {
		return 12
	}
	return h
}

func hm(b []byte, t time.Time) []byte { return pad2(append(pad2(b, t.Hour()), ':'), t.Minute()) }

func hm12(b []byte, t time.Time) []byte {
	return pad2(append(pad2(b, hour12(t.Hour())), ':'), t.Minute())
}

func dmy(b []byte, t time.Time, sep byte) []byte {
	b = append(pad2(b, t.Day()), sep)
	return num(append(pad2(b, int(t.Month())), sep), t.Year())
}

func ampm(b []byte, t time.Time, am, pm string) []byte {
	if t.Hour() < 12 {
		return append(b, am...)
	}
	return append(b, pm...)
}

func fmtPortal(b []byte, t time.Time) []byte {
	b = append(hm12(b, t), "' "...)
	b = append(ampm(b, t, "AM", "PM"), " - "...)
	b = append(append(b, weekdaysLower[t.Weekday()]...), ", "...)
	return dmy(b, t, '/')
}

func fmtApps(b []byte, t time.Time) []byte {
	b = append(hm12(b, t), ' ')
	b = append(ampm(b, t, "SA", "CH"), " @ "...)
	b = append(append(b, weekdaysUpper[t.Weekday()]...), " - "...)
	b = append(append(pad2(b, t.Day()), ' '), monthsNET[t.Month()-1]...)
	return num(append(b, ", "...), t.Year())
}

func fmtAppsList(b []byte, t time.Time) []byte {
	b = append(hm12(append(dmy(b, t, '/'), ' '), t), ' ')
	return ampm(b, t, "SA", "CH")
}

func fmtWeekdayGMT7(b []byte, t time.Time) []byte {
	b = append(append(b, weekdaysLower[t.Weekday()]...), ", "...)
	b = append(num(append(num(b, t.Day()), '/'), int(t.Month())), '/')
	b = append(num(b, t.Year()), ", "...)
	return append(hm(b, t), " (GMT+7)"...)
}

func fmtWeekdayDashTime(b []byte, t time.Time) []byte {
	b = append(append(b, weekdaysLower[t.Weekday()]...), ", "...)
	return hm(append(dmy(b, t, '/'), " - "...), t)
}

func fmtGMT7(b []byte, t time.Time) []byte {
	return append(hm(append(dmy(b, t, '/'), ' '), t), " GMT+7"...)
}

// fmtRedundantAMPM is a 24-hour clock followed by a marker that agrees
// with it ("13:57 PM", "09:05 AM").
func fmtRedundantAMPM(b []byte, t time.Time) []byte {
	b = append(hm(append(dmy(b, t, '-'), " - "...), t), ' ')
	return ampm(b, t, "AM", "PM")
}

func timeFirst(lead, sep string) func([]byte, time.Time) []byte {
	return func(b []byte, t time.Time) []byte {
		return dmy(append(hm(append(b, lead...), t), sep...), t, '/')
	}
}

func fmtWeekdayFirst(b []byte, t time.Time) []byte {
	b = append(append(b, weekdaysLower[t.Weekday()]...), " - "...)
	return hm(append(dmy(b, t, '/'), ' '), t)
}

func fmtMonthWordAMPM(b []byte, t time.Time) []byte {
	b = append(append(pad2(b, t.Day()), ' '), monthsLower[t.Month()-1]...)
	b = append(hm12(append(num(append(b, ' '), t.Year()), " - "...), t), ' ')
	return ampm(b, t, "AM", "PM")
}

func fmtLongLuc(b []byte, t time.Time) []byte {
	b = append(num(append(num(b, t.Day()), " Tháng "...), int(t.Month())), ' ')
	return hm(append(num(b, t.Year()), " lúc "...), t)
}

func fmtMonthFirst(b []byte, t time.Time) []byte {
	b = append(append(b, monthsUpper[t.Month()-1]...), ' ')
	b = append(num(append(num(b, t.Day()), ", "...), t.Year()), ", "...)
	return hm(b, t)
}

func fmtLongDate(b []byte, t time.Time) []byte {
	b = append(append(b, weekdaysUpper[t.Weekday()]...), ", ngày "...)
	b = append(num(append(num(b, t.Day()), " tháng "...), int(t.Month())), " năm "...)
	return num(b, t.Year())
}

func fmtMonthWordDate(b []byte, t time.Time) []byte {
	b = append(append(b, weekdaysLower[t.Weekday()]...), ", "...)
	b = append(append(pad2(b, t.Day()), ' '), monthsLower[t.Month()-1]...)
	return num(append(b, ' '), t.Year())
}

func fmtShortMonth(b []byte, t time.Time) []byte {
	b = append(num(append(num(b, t.Day()), " thg "...), int(t.Month())), ", "...)
	return num(b, t.Year())
}

func fmtDMYOnly(b []byte, t time.Time) []byte { return dmy(b, t, '/') }

// AppendDate formats t (in Vietnam) with the theme's date format.
func (t *Theme) AppendDate(b []byte, at time.Time) []byte {
	return formats[t.Values[DateFormat]].Append(b, at.In(vn))
}

// DateOnly reports whether the theme's date format lacks the time of day.
func (t *Theme) DateOnly() bool { return formats[t.Values[DateFormat]].DateOnly }
