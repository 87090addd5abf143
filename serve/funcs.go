package serve

import (
	"html/template"
	"strings"
)

var funcs = template.FuncMap{
	"captureLink": func(k string) string { return "/captures/" + k },
	"join":        strings.Join,
	"add":         func(a, b int) int { return a + b },
	"day": func(ts string) string {
		if len(ts) >= 10 {
			return ts[:10]
		}
		return ts
	},
}
