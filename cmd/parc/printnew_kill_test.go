package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/parc-archiver/parc/sim"
)

// crawl --print-new, killed with SIGKILL at random moments and run again,
// prints every stored article at least once, under its stable id: the
// union of the ids printed by all the runs holds every record.
func TestPrintNewSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("kills real crawls; skipped with -short")
	}
	rng := seededRand(t, "PARC_KILL_SEED", 0x9e7)
	sp := sim.New(sim.Options{Articles: 200, Seed: 17, PageSize: 8})
	srv := httptest.NewServer(sp)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	p := &portal{sim: sp, srv: srv, config: filepath.Join(dir, "config.yaml"), db: filepath.Join(dir, "parc.db")}
	if err := os.WriteFile(p.config, []byte(sp.Config(srv.URL)), 0o644); err != nil {
		t.Fatal(err)
	}
	printed := map[string]bool{}
	kills := 0
	for run := 0; run < 8; run++ {
		n := 0 // kill after reading n lines: while the run prints a batch
		if run < 7 {
			n = 1 + rng.IntN(60)
		}
		ids, killed := printNewChild(t, p, n)
		for _, id := range ids {
			printed[id] = true
		}
		if killed {
			kills++
		}
	}
	recs := p.records(t)
	missing := 0
	for _, r := range recs {
		if !printed[r.ID] {
			missing++
		}
	}
	if missing > 0 || len(recs) != len(sp.Truth()) {
		t.Errorf("%d of %d stored articles never printed over %d kills (%d articles on the portal)", missing, len(recs), kills, len(sp.Truth()))
	}
	if kills < 3 {
		t.Errorf("only %d kills: the crawls finished before their kill points", kills)
	}
}

// printNewChild runs parc crawl --print-new as a child process, killed
// once n lines were read from it (n <= 0: to its end), and returns the ids
// of the lines it printed (those read, and those already in the pipe when
// the kill landed) and whether it was killed.
func printNewChild(t *testing.T, p *portal, n int) ([]string, bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillHelperProcess$", "--", "crawl", "--print-new", "--config", p.config, "--archive", p.db)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var ids []string
	killed := false
	sc := bufio.NewScanner(out)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var r struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Errorf("a line that is not a record: %.80q", sc.Bytes())
			continue
		}
		ids = append(ids, r.ID)
		if n > 0 && len(ids) == n {
			killed = cmd.Process.Kill() == nil
			break
		}
	}
	// What the child wrote before the kill landed is printed too (a
	// reader of the pipe gets it, and the child may have marked it
	// printed); only the last line may be cut by the kill.
	for killed && sc.Scan() {
		var r struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(sc.Bytes(), &r) == nil && r.ID != "" {
			ids = append(ids, r.ID)
		}
	}
	_, _ = io.Copy(io.Discard, out)
	err = cmd.Wait()
	if !killed && err != nil {
		t.Fatalf("crawl --print-new: %v\n%s", err, stderr.String())
	}
	return ids, killed
}
