package timeparse

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// dateWords are the words, folded (lower case, no diacritics), that may
// stand beside the digits of a printed date: weekdays, month words, "lúc",
// labels ("Ngày đăng:", "Thời gian:"),
// AM/PM and SA/CH, zones, and the usual prefixes. A part of a metadata
// line made of digits and these words only is a date part.
var dateWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`thu hai ba tu bon nam sau bay chu nhat cn ngay thang thg gieng chap mot muoi mươi
		luc vao hoi sa ch am pm gmt utc ict gio phut hom qua nay truoc cap dang dang: xuat ban thoi gian tam chin
		updated published posted on at by
		monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun
		january february march april may june july august september october november december
		jan feb mar apr jun jul aug sep sept oct nov dec
		januar februar marz maerz juni juli oktober dezember okt dez uhr am um veroffentlicht aktualisiert
		janvier fevrier mars avril juin juillet aout septembre octobre novembre decembre
		enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre de`) {
		m[w] = true
	}
	return m
}()

// IsDatePart reports whether every word of part is digits and punctuation
// or a date word.
func IsDatePart(part string) bool {
	for w := range strings.FieldsSeq(Fold(part)) {
		w = strings.Trim(w, ",.:;()[]'@/")
		if w == "" || dateWords[w] || dateWords[strings.TrimRight(w, "+-0123456789:")] || strings.IndexFunc(w, unicode.IsLetter) < 0 {
			continue
		}
		if w == "h" || strings.TrimLeft(w, "0123456789:h") == "" {
			continue // 8h30
		}
		return false
	}
	return true
}

// offsetSuffix matches the explicit UTC offset a machine-readable
// timestamp may end with.
var offsetSuffix = regexp.MustCompile(`(?i)(?:\d(?:z)|[+-]\d{2}:?\d{2}|\b(?:gmt|utc)\s*[+-]?\s*\d{0,2}(?::?\d{2})?)\s*$`)

// HasOffset reports whether a machine-readable timestamp gives its
// offset (a "Z", "+07:00", "GMT+7"): such a value is an instant, one
// without is local time in the portal's zone.
func HasOffset(s string) bool {
	return offsetSuffix.MatchString(strings.TrimSpace(s))
}

// urlDate matches a date in a URL's path: /2024/05/03/, /2024-05-03,
// /20240503/ (year 1990-2099).
var urlDate = regexp.MustCompile(`/((?:19|20)\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)`)

// urlDateDMY matches a day-first date opening a path segment:
// /23-01-2022-headline, /08112021-headline (year 1990-2099).
var urlDateDMY = regexp.MustCompile(`/(0[1-9]|[12]\d|3[01])[_.-]?(0[1-9]|1[0-2])[_.-]?((?:19|20)\d{2})(?:[/_.-]|$)`)

// DateInPath returns the day a URL's path names, at
// midnight in loc: year first anywhere, else day first opening a segment.
func DateInPath(path string, loc *time.Location) (time.Time, bool) {
	m := urlDate.FindStringSubmatch(path)
	if m == nil {
		if m = urlDateDMY.FindStringSubmatch(path); m == nil {
			return time.Time{}, false
		}
		m[1], m[3] = m[3], m[1]
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	day, _ := strconv.Atoi(m[3])
	t := time.Date(y, time.Month(mo), day, 0, 0, 0, 0, loc)
	return t, t.Day() == day
}

// dateLineSeps are the separators of a date line's parts.
var dateLineSeps = strings.NewReplacer("@", " ", "-", " ", "|", " ", "·", " ")

// IsDateLine reports whether t is a short line of date parts only (no
// name, no sentence) holding a date: "Thứ tư, 27/01/2021 - 13:39",
// "Published 3 May 2024".
func (p *Parser) IsDateLine(t string, loc *time.Location, now time.Time) bool {
	if lineWords(t) > 12 || strings.IndexAny(t, "0123456789") < 0 || !IsDatePart(dateLineSeps.Replace(t)) {
		return false
	}
	_, ok := p.Parse(t, loc, now)
	return ok
}

// lineWords counts the words of a date line, up to 13 (more are no date
// line): a separator standing alone ("07:52 SA @ Thứ Hai - 16 …") is
// none, a date written with hyphens ("24-02-2014") one.
func lineWords(t string) int {
	n := 0
	for f := range strings.FieldsSeq(t) {
		if strings.Trim(f, "@-|·") != "" {
			if n++; n > 12 {
				break
			}
		}
	}
	return n
}

// Best parses the machine-readable timestamps cands in order and returns
// the first that gives its UTC offset (an instant), else the first that
// parses (local time in loc); offset says which. Empty ones are skipped.
func (p *Parser) Best(cands []string, loc *time.Location, now time.Time) (t time.Time, offset, ok bool) {
	for _, s := range cands {
		v, parsed := p.Parse(s, loc, now)
		if !parsed {
			continue
		}
		if HasOffset(s) {
			return v, true, true
		}
		if !ok {
			t, ok = v, true
		}
	}
	return t, false, ok
}
