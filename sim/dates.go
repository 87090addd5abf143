package sim

import (
	"strconv"
	"time"
)

// Vietnamese calendar words as the two CMS generations print them.
var (
	// VIEPortal: "Thứ tư" with a lower-case second word.
	portalWeekdays = [7]string{"Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"}
	// .NET vi-VN culture (VIEApps NGX).
	appsWeekdays = [7]string{"Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"}
	appsMonths   = [12]string{"Tháng Giêng", "Tháng Hai", "Tháng Ba", "Tháng Tư", "Tháng Năm", "Tháng Sáu",
		"Tháng Bảy", "Tháng Tám", "Tháng Chín", "Tháng Mười", "Tháng Mười Một", "Tháng Mười Hai"}
)

// vnZone is Asia/Ho_Chi_Minh: UTC+7 all year, no daylight saving. A fixed
// zone keeps the simulator independent of the host's tzdata.
var vnZone = time.FixedZone("ICT", 7*3600)

func pad2(b []byte, n int) []byte {
	if n < 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(n), 10)
}

func hour12(h int) int {
	h %= 12
	if h == 0 {
		return 12
	}
	return h
}

// appendPortalTime formats the VIEPortal article header,
// "01:39' PM - Thứ tư, 27/01/2021", with the no-break spaces of the
// real page around the dash and after the comma.
func appendPortalTime(b []byte, t time.Time) []byte {
	t = t.In(vnZone)
	b = pad2(b, hour12(t.Hour()))
	b = append(b, ':')
	b = pad2(b, t.Minute())
	b = append(b, "' "...)
	if t.Hour() < 12 {
		b = append(b, "AM"...)
	} else {
		b = append(b, "PM"...)
	}
	b = append(b, "\u00a0-\u00a0"...)
	b = append(b, portalWeekdays[t.Weekday()]...)
	b = append(b, ",\u00a0"...)
	return appendDMY(b, t)
}

// appendDMY formats dd/MM/yyyy.
func appendDMY(b []byte, t time.Time) []byte {
	b = pad2(b, t.Day())
	b = append(b, '/')
	b = pad2(b, int(t.Month()))
	b = append(b, '/')
	return strconv.AppendInt(b, int64(t.Year()), 10)
}

func appendAMPMvi(b []byte, t time.Time) []byte {
	if t.Hour() < 12 {
		return append(b, "SA"...)
	}
	return append(b, "CH"...)
}

// appendAppsTime formats the VIEApps article header,
// "03:15 CH @ Thứ Hai - 08 Tháng Giêng, 2024".
func appendAppsTime(b []byte, t time.Time) []byte {
	t = t.In(vnZone)
	b = pad2(b, hour12(t.Hour()))
	b = append(b, ':')
	b = pad2(b, t.Minute())
	b = append(b, ' ')
	b = appendAMPMvi(b, t)
	b = append(b, " @ "...)
	b = append(b, appsWeekdays[t.Weekday()]...)
	b = append(b, " - "...)
	b = pad2(b, t.Day())
	b = append(b, ' ')
	b = append(b, appsMonths[t.Month()-1]...)
	b = append(b, ", "...)
	return strconv.AppendInt(b, int64(t.Year()), 10)
}

// appendAppsListTime formats the VIEApps list default, "08/01/2024 03:15 CH".
func appendAppsListTime(b []byte, t time.Time) []byte {
	t = t.In(vnZone)
	b = appendDMY(b, t)
	b = append(b, ' ')
	b = pad2(b, hour12(t.Hour()))
	b = append(b, ':')
	b = pad2(b, t.Minute())
	b = append(b, ' ')
	return appendAMPMvi(b, t)
}

// appendTopDate formats the header's today line,
// "Thứ Sáu, Ngày 19 tháng 04 năm 2024".
func appendTopDate(b []byte, t time.Time) []byte {
	t = t.In(vnZone)
	b = append(b, appsWeekdays[t.Weekday()]...)
	b = append(b, ", Ngày "...)
	b = pad2(b, t.Day())
	b = append(b, " tháng "...)
	b = pad2(b, int(t.Month()))
	b = append(b, " năm "...)
	return strconv.AppendInt(b, int64(t.Year()), 10)
}
