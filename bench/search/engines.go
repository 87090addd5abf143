package main

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/search/query"
	_ "modernc.org/sqlite"

	"github.com/parc-archiver/parc/serve"
)

// engine is one search library under test: it indexes articles (their
// text folded by serve.Fold, as parc would) and answers one page of an
// AND query, newest first.
type engine interface {
	name() string
	index(arts []article) error
	search(q string, page int) (ids []string, total int, err error)
	size() (int64, error)
	close() error
}

func text(a *article) string { return serve.Fold(a.Title + "\n" + a.Body + "\n" + a.Byline) }

// dirSize is the bytes of the files under dir.
func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n += fi.Size()
		}
		return err
	})
	return n, err
}

type bleveEngine struct {
	dir       string
	idx       bleve.Index
	scoreNone bool // skip relevance scores (the order is by date)
}

func newBleve(dir string) (*bleveEngine, error) {
	im := bleve.NewIndexMapping()
	if err := im.AddCustomAnalyzer("folded", map[string]any{"type": custom.Name, "tokenizer": unicode.Name, "token_filters": []string{lowercase.Name}}); err != nil {
		return nil, err
	}
	dm := bleve.NewDocumentStaticMapping()
	txt := bleve.NewTextFieldMapping()
	txt.Analyzer, txt.Store, txt.IncludeTermVectors, txt.IncludeInAll = "folded", false, false, false
	kw := bleve.NewTextFieldMapping()
	kw.Analyzer, kw.Store, kw.IncludeInAll = keyword.Name, false, false
	dm.AddFieldMappingsAt("text", txt)
	dm.AddFieldMappingsAt("published", kw)
	dm.AddFieldMappingsAt("portal", kw)
	im.DefaultMapping = dm
	idx, err := bleve.New(filepath.Join(dir, "bleve"), im)
	if err != nil {
		return nil, err
	}
	return &bleveEngine{dir: filepath.Join(dir, "bleve"), idx: idx}, nil
}

func (e *bleveEngine) name() string { return "bleve v2.6.3 (scorch)" }

func (e *bleveEngine) index(arts []article) error {
	b := e.idx.NewBatch()
	for i := range arts {
		a := &arts[i]
		if err := b.Index(a.ID, map[string]any{"text": text(a), "published": a.Published, "portal": a.Portal}); err != nil {
			return err
		}
	}
	return e.idx.Batch(b)
}

func (e *bleveEngine) search(q string, page int) ([]string, int, error) {
	mq := bleve.NewMatchQuery(serve.Fold(q))
	mq.SetField("text")
	mq.SetOperator(query.MatchQueryOperatorAnd)
	req := bleve.NewSearchRequestOptions(mq, 20, (page-1)*20, false)
	req.SortBy([]string{"-published"})
	if e.scoreNone {
		req.Score = bleve.ScoreNone
	}
	res, err := e.idx.Search(req)
	if err != nil {
		return nil, 0, err
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, int(res.Total), nil
}

func (e *bleveEngine) size() (int64, error) { return dirSize(e.dir) }
func (e *bleveEngine) close() error         { return e.idx.Close() }

type sqliteEngine struct {
	path string
	db   *sql.DB
}

func newSQLite(dir string) (*sqliteEngine, error) {
	path := filepath.Join(dir, "search.sqlite")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	_, err = db.Exec(`CREATE VIRTUAL TABLE docs USING fts5(text, id UNINDEXED, published UNINDEXED, portal UNINDEXED, tokenize='unicode61', detail='column')`)
	if err != nil {
		return nil, err
	}
	return &sqliteEngine{path: path, db: db}, nil
}

func (e *sqliteEngine) name() string { return "SQLite FTS5 (modernc.org/sqlite v1.62.0)" }

func (e *sqliteEngine) index(arts []article) error {
	tx, err := e.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	st, err := tx.Prepare(`INSERT INTO docs(text, id, published, portal) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	for i := range arts {
		a := &arts[i]
		if _, err := st.Exec(text(a), a.ID, a.Published, a.Portal); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func (e *sqliteEngine) search(q string, page int) ([]string, int, error) {
	m := fts5Query(q)
	var total int
	if err := e.db.QueryRow(`SELECT count(*) FROM docs WHERE docs MATCH ?`, m).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := e.db.Query(`SELECT id FROM docs WHERE docs MATCH ? ORDER BY published DESC LIMIT 20 OFFSET ?`, m, (page-1)*20)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, 0, err
		}
		ids = append(ids, id)
	}
	return ids, total, rows.Err()
}

// fts5Query is q's folded words, each quoted: FTS5 ANDs them.
func fts5Query(q string) string {
	s := ""
	for i, t := range serve.Terms(q) {
		if i > 0 {
			s += " "
		}
		s += fmt.Sprintf("%q", t)
	}
	return s
}

func (e *sqliteEngine) size() (int64, error) {
	if _, err := e.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return 0, err
	}
	fi, err := os.Stat(e.path)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

func (e *sqliteEngine) close() error { return e.db.Close() }
