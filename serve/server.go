package serve

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"github.com/parc-archiver/parc/archive"
)

// PageCSP is the Content-Security-Policy of every page but a replayed
// capture: no script, nothing from another host, no framing.
const PageCSP = "default-src 'none'; img-src 'self' data:; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// CaptureCSP is the Content-Security-Policy of a replayed capture (issue
// 19): sandboxed, so that no script runs even when it is opened directly,
// and nothing loaded but the archive's own pictures and inline styles.
const CaptureCSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'"

// DefaultRetryAfter is what a busy archive's 503 asks a client to wait.
const DefaultRetryAfter = 5 * time.Second

//go:embed templates/*.html templates/parc.css
var files embed.FS

// Options configures a Server.
type Options struct {
	// Source lends the archive to each request (required).
	Source Source
	// Index is the search index; nil: search reads every record.
	Index *Index
	// Portal names the archive's portal (feed title, default portal).
	Portal string
	// Portals are the portals shown (parc serve --portal): the other
	// portals' articles are not found, counted, listed or fed. Empty:
	// every portal.
	Portals []string
	// Known are the config's portal names: /feed.atom?portal= of another
	// name answers 404 listing them. Empty: any name is taken.
	Known []string
	// Version is parc's version (feed generator, page footer).
	Version string
	// Location is the time zone of the search's from and to days (the
	// portal's); nil: UTC.
	Location *time.Location
	// FeedEntries is how many newest records /feed.atom holds; 0: the
	// export default.
	FeedEntries int
	// RetryAfter is the Retry-After of a busy archive's 503; 0:
	// DefaultRetryAfter.
	RetryAfter time.Duration
	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Server renders the pages. It is safe for concurrent use.
type Server struct {
	o     Options
	log   *slog.Logger
	pages map[string]*template.Template
	mux   *http.ServeMux

	mu     sync.Mutex // guards months
	months *monthCache
}

// New returns a Server over o.Source.
func New(o Options) (*Server, error) {
	if o.Source == nil {
		return nil, errors.New("serve: no archive source")
	}
	if o.RetryAfter <= 0 {
		o.RetryAfter = DefaultRetryAfter
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	s := &Server{o: o, log: o.Logger}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	var err error
	if s.pages, err = parsePages(); err != nil {
		return nil, err
	}
	s.mux = http.NewServeMux()
	s.routes()
	return s, nil
}

func (s *Server) routes() {
	s.mux.HandleFunc("GET /{$}", s.home)
	s.mux.HandleFunc("GET /articles/{id}", s.article)
	s.mux.HandleFunc("GET /articles/{id}/diff", s.diff)
	s.mux.HandleFunc("GET /captures/{id}", s.capture)
	s.mux.HandleFunc("GET /go", s.follow)
	s.mux.HandleFunc("GET /feed.atom", s.feed)
	s.mux.HandleFunc("GET /search", s.search)
	s.mux.HandleFunc("GET /search.jsonl", s.searchExport)
	s.mux.HandleFunc("GET /parc.css", s.css)
	s.mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		s.problem(w, http.StatusNotFound, "Không tìm thấy trang", "No such page in this archive: "+r.URL.Path)
	})
}

// ServeHTTP answers GET and HEAD with the page, and every other method
// with 405; every answer carries the security headers.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", PageCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		s.problem(w, http.StatusMethodNotAllowed, "Phương thức không được phép", "This archive is read-only: "+r.Method+" is not allowed, only GET and HEAD.")
		return
	}
	defer s.recovered(w, r)
	s.mux.ServeHTTP(w, r)
}

// recovered answers a request whose page panicked with a 500 page, and
// logs the panic (its stack at debug level): a fault in one page never
// shows a stack trace or drops the connection.
func (s *Server) recovered(w http.ResponseWriter, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler { // the sentinel net/http panics with on purpose
		panic(v)
	}
	s.log.Error("page failed", "path", r.URL.Path, "panic", fmt.Sprint(v))
	s.log.Debug("page failed", "path", r.URL.Path, "stack", string(debug.Stack()))
	s.problem(w, http.StatusInternalServerError, "Lỗi", "This page failed; parc's log says why.")
}

func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("serve: templates: %w", err)
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		name := n[len("templates/") : len(n)-len(".html")]
		if name == "layout" {
			continue
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(files, "templates/layout.html", n)
		if err != nil {
			return nil, fmt.Errorf("serve: template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// page is what every template gets: the page's title and its own data.
type page struct {
	Title   string
	Query   string // the search box's text
	Version string
	Data    any
}

// render writes the page name with data and status.
func (s *Server) render(w http.ResponseWriter, status int, name, title string, data any) {
	s.write(w, status, name, page{Title: title, Version: s.o.Version, Data: data})
}

// renderQuery writes a page whose search box shows query.
func (s *Server) renderQuery(w http.ResponseWriter, name, title, query string, data any) {
	s.write(w, http.StatusOK, name, page{Title: title, Query: query, Version: s.o.Version, Data: data})
}

func (s *Server) write(w http.ResponseWriter, status int, name string, p page) {
	t := s.pages[name]
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.Error("rendering a page", "page", name, "err", err)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// problem is an error page.
func (s *Server) problem(w http.ResponseWriter, status int, title, detail string) {
	s.render(w, status, "problem", title, problemData{Status: status, Detail: detail})
}

type problemData struct {
	Status int
	Detail string
}

// fail answers a request whose archive read failed with err.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, archive.ErrNotFound):
		s.problem(w, http.StatusNotFound, "Không tìm thấy", "Not in this archive: "+r.URL.Path)
	case errors.Is(err, archive.ErrLocked):
		w.Header().Set("Retry-After", strconv.Itoa(int((s.o.RetryAfter+time.Second-1)/time.Second)))
		s.problem(w, http.StatusServiceUnavailable, "Kho lưu trữ đang bận (archive busy)",
			"A crawl is writing the archive; try again in a few seconds.")
	case errors.Is(err, context.Canceled):
		// the client went away
	default:
		s.log.Error("page failed", "path", r.URL.Path, "err", err)
		s.problem(w, http.StatusInternalServerError, "Lỗi", "The archive could not be read; parc's log says why.")
	}
}

func (s *Server) css(w http.ResponseWriter, r *http.Request) {
	b, err := files.ReadFile("templates/parc.css")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "max-age=3600")
	w.Write(b)
}
