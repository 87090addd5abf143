package serve

import (
	"strconv"
	"strings"
)

// seg is a run of text, marked when it differs from the other side.
type seg struct {
	Text string
	Mark bool
}

// paraRow is one row of the side-by-side diff: a paragraph on each side
// (one side empty for an added or removed paragraph).
type paraRow struct {
	Kind     string // same, changed, added, removed
	Old, New []seg
	First    bool // the first row that is not the same
}

// maxCells bounds the LCS tables (paragraphs × paragraphs, words ×
// words); past it a pair is shown whole as changed.
const maxCells = 4 << 20

// op is one step of an edit script: keep, delete (from a) or insert (of b).
type op struct {
	kind byte // '=', '-', '+'
	i, j int
}

// script is the longest-common-subsequence edit script from a to b.
func script(a, b []string) []op {
	n, m := len(a), len(b)
	if n*m > maxCells {
		ops := make([]op, 0, n+m)
		for i := range a {
			ops = append(ops, op{'-', i, 0})
		}
		for j := range b {
			ops = append(ops, op{'+', 0, j})
		}
		return ops
	}
	// l[i][j] is the LCS length of a[i:] and b[j:].
	l := make([][]int32, n+1)
	for i := range l {
		l[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				l[i][j] = l[i+1][j+1] + 1
			} else {
				l[i][j] = max(l[i+1][j], l[i][j+1])
			}
		}
	}
	var ops []op
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			ops = append(ops, op{'=', i, j})
			i, j = i+1, j+1
		case j < m && (i == n || l[i][j+1] >= l[i+1][j]):
			ops = append(ops, op{'+', i, j})
			j++
		default:
			ops = append(ops, op{'-', i, j})
			i++
		}
	}
	return ops
}

// diffParagraphs aligns two bodies' paragraphs: kept ones are "same"; a
// removed paragraph followed by an added one is "changed", with its words
// marked; the others are added or removed.
func diffParagraphs(a, b []string) []paraRow {
	ops := script(a, b)
	var rows []paraRow
	for k := 0; k < len(ops); {
		o := ops[k]
		if o.kind == '=' {
			rows = append(rows, paraRow{Kind: "same", Old: []seg{{Text: a[o.i]}}, New: []seg{{Text: b[o.j]}}})
			k++
			continue
		}
		var dels, ins []int
		for ; k < len(ops) && ops[k].kind != '='; k++ {
			if ops[k].kind == '-' {
				dels = append(dels, ops[k].i)
			} else {
				ins = append(ins, ops[k].j)
			}
		}
		first := len(rows)
		for p := 0; p < max(len(dels), len(ins)); p++ {
			switch {
			case p < len(dels) && p < len(ins):
				old, cur := diffWords(a[dels[p]], b[ins[p]])
				rows = append(rows, paraRow{Kind: "changed", Old: old, New: cur})
			case p < len(dels):
				rows = append(rows, paraRow{Kind: "removed", Old: []seg{{Text: a[dels[p]], Mark: true}}})
			default:
				rows = append(rows, paraRow{Kind: "added", New: []seg{{Text: b[ins[p]], Mark: true}}})
			}
		}
		if first < len(rows) && !seenChange(rows[:first]) {
			rows[first].First = true
		}
	}
	return rows
}

func seenChange(rows []paraRow) bool {
	for _, r := range rows {
		if r.Kind != "same" {
			return true
		}
	}
	return false
}

// diffWords marks the words of a and b that the other lacks.
func diffWords(a, b string) (old, cur []seg) {
	wa, wb := strings.Fields(a), strings.Fields(b)
	for _, o := range script(wa, wb) {
		switch o.kind {
		case '=':
			old = appendWord(old, wa[o.i], false)
			cur = appendWord(cur, wb[o.j], false)
		case '-':
			old = appendWord(old, wa[o.i], true)
		default:
			cur = appendWord(cur, wb[o.j], true)
		}
	}
	return old, cur
}

// appendWord adds w to segs, joining it to the last segment when that is
// marked alike; the space between two segments goes to the unmarked one.
func appendWord(segs []seg, w string, mark bool) []seg {
	n := len(segs)
	switch {
	case n == 0:
	case segs[n-1].Mark == mark:
		segs[n-1].Text += " " + w
		return segs
	case !segs[n-1].Mark:
		segs[n-1].Text += " "
	default:
		w = " " + w
	}
	return append(segs, seg{Text: w, Mark: mark})
}

func itoa(n int) string { return strconv.Itoa(n) }
