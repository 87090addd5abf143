package extract

import (
	"regexp"
	"strings"
	"unicode"
)

// The byline's text: whatever element or metadata a byline comes from,
// its text goes through bylineText, which drops what is printed around
// the names (a label such as "By" or "Von:", the date and time after
// them, a social-media handle) and refuses what is no byline at all
// (photo credits, copyright lines, a bare date).

var (
	// bylineLabel is a label printed before the names, in the page's
	// language: "By", "Von:", "Par", "Por", "Door", "Av", "Tác giả:",
	// "Geschrieben von", "Posted by", "Autor:", "Interview:". A short
	// lowercase particle ("de", "di") is a label only in lower case:
	// capitalised it starts a name ("De Luca").
	bylineLabel = regexp.MustCompile(`^(?:(?i:(?:written|posted|reported|words|text|story|geschrieben|verfasst|erstellt|ein beitrag|ein artikel)\s+(?:by|von|vom))|(?i:by|von|vom|par|por|door|av|af|from)|de|di|da|(?i:(?:autor|autorin|autoren|auteur|author|authors|text|texto|testo|interview|redaktion|reporter|tác giả|verfasser|verfasserin)\s*[:：]))(?:\s*[:：])?\s+`)
	// bylineInner finds a label inside a line that starts with something
	// else ("Posted on 21 September 2020 by Adi Tzlil", "News By Lance
	// Ulanoff"): the names follow it.
	bylineInner = regexp.MustCompile(`(?:^|\s)(?:by|By|BY|geschrieben von|Geschrieben von|verfasst von)\s+`)
	// bylineNotName is a line that names no author: a photo credit, a
	// copyright line.
	bylineNotName = regexp.MustCompile(`^\(?\s*(?i:ảnh|photo|photos|photograph|foto|fotos|bild|bilder|image|images|picture|pictures|credit|credits|quelle|getty images|copyright)\b|©|\((?i:c)\)\s*\d{4}|(?i:all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos)`)
	// bylineDate is where a date or time starts after the names: "12:20pm",
	// "26.10.13", "2024", "7 Jan", "Jan 7", "19 May 2026".
	bylineDate = regexp.MustCompile(`(?i)\b\d{1,2}[:.h]\d{2}|\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b|\b(?:19|20)\d{2}\b|\b\d{1,2}\.?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|januar|februar|märz|mai|juni|juli|okt|dez|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b`)
	// bylineTrail are the words left between the names and a date cut
	// off after them ("published", "am", "on", "|").
	bylineTrail = regexp.MustCompile(`(?i)(?:\s+|^)(?:published|updated|posted|veröffentlicht|aktualisiert|publié|publicado|am|um|on|at|le|el|der|den|vom|,|\||-|–|—|•|·)\s*$`)
	// bylineEndWord is a word that ends no name: what linked the names to
	// a date printed in an element of its own (<time>).
	bylineEndWord = regexp.MustCompile(`(?i)\s+(?:published|updated|posted|veröffentlicht|aktualisiert|publié|publicado)$`)
	// bylineButton is a button's or link's word taken for a name.
	bylineButton = regexp.MustCompile(`^(?i:twitter|follow|folgen|facebook|instagram|linkedin|e-mail|email|mail|share|teilen|more|mehr|profile|profil)$`)
	// bylineHandle is a social-media handle or link word after a name.
	bylineHandle = regexp.MustCompile(`\s*@\w+|\s+(?i:twitter|follow|folgen|facebook|instagram|linkedin|e-mail|email|mail)$`)
)

// bylineText returns the names of byline text t as printed, without a
// label before them or a date after them, and false when t names no one.
func bylineText(t string) (string, bool) {
	t = cleanText(t)
	if t == "" || bylineNotName.MatchString(t) {
		return "", false
	}
	t = dropBylineLabel(t)
	t = cutBylineDate(t)
	for {
		s := strings.TrimSpace(bylineHandle.ReplaceAllString(t, ""))
		if s == t {
			break
		}
		t = s
	}
	t = strings.TrimSpace(bylineEndWord.ReplaceAllString(t, ""))
	t = strings.Trim(t, " ,;:|-–—•·")
	if t == "" || strings.IndexFunc(t, unicode.IsLetter) < 0 || bylineButton.MatchString(t) {
		return "", false
	}
	return t, true
}

// dropBylineLabel removes the label before the names, at the start of t or
// after a short run of words before it (a kicker, a date).
func dropBylineLabel(t string) string {
	if loc := bylineLabel.FindStringIndex(t); loc != nil && loc[1] < len(t) {
		return t[loc[1]:]
	}
	if loc := bylineInner.FindStringIndex(t); loc != nil && loc[1] < len(t) && !moreWords(t[:loc[0]], 8) {
		if r := []rune(t[loc[1]:]); unicode.IsUpper(r[0]) {
			return t[loc[1]:]
		}
	}
	return t
}

// cutBylineDate removes a date or time printed after the names, and the
// words linking them ("published", "am").
func cutBylineDate(t string) string {
	loc := bylineDate.FindStringIndex(t)
	if loc == nil || loc[0] == 0 {
		return t
	}
	head := strings.TrimSpace(t[:loc[0]])
	for {
		s := strings.TrimSpace(bylineTrail.ReplaceAllString(head, ""))
		if s == head {
			break
		}
		head = s
	}
	if head == "" {
		return t
	}
	return head
}

// lastFirst turns one name written "Last, First" (catalogue order, as
// metadata may give it: "Doe, John", "Doe, John A.") into "First Last".
// Anything else, several names among them ("Ann Lee, Bo Chen"), is kept.
func lastFirst(b string) string {
	last, first, ok := strings.Cut(b, ", ")
	if !ok || strings.Contains(first, ",") || len(strings.Fields(last)) != 1 || len(strings.Fields(first)) > 2 || !capitalised(first) || !capitalised(last) {
		return b
	}
	if f := strings.Fields(first); len(f) == 2 && !strings.HasSuffix(f[1], ".") {
		return b // "Lee, Bo Chen" reads as two authors
	}
	return first + " " + last
}
