package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func completionScript(t *testing.T, shell string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if err := runParc(context.Background(), []string{"completion", shell}, strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatalf("parc completion %s: %v (%s)", shell, err, errOut.String())
	}
	return out.String()
}

// The bash script, run by bash, completes command names and each
// command's own flags.
func TestBashCompletionCompletesCommandsAndFlags(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	script := filepath.Join(t.TempDir(), "parc.bash")
	if err := os.WriteFile(script, []byte(completionScript(t, "bash")), 0o644); err != nil {
		t.Fatal(err)
	}
	complete := func(words ...string) string {
		t.Helper()
		line := `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _parc; echo "${COMPREPLY[*]}"`
		out, err := exec.Command(bash, append([]string{"-c", line, "bash", script}, words...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("bash: %v: %s", err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if got := complete("parc", "exp"); got != "export" {
		t.Errorf("parc exp<TAB> = %q, want export", got)
	}
	if got := complete("parc", "export", "--for"); got != "--format" {
		t.Errorf("parc export --for<TAB> = %q, want --format", got)
	}
	if got := complete("parc", "crawl", "--for"); got != "" {
		t.Errorf("parc crawl --for<TAB> = %q: crawl has no --format", got)
	}
	if got := complete("parc", "crawl", "-"); !strings.Contains(" "+got+" ", " -v ") || strings.Contains(got, "--v ") {
		t.Errorf("parc crawl -<TAB> = %q, want -v (one dash) among them", got)
	}
	if got := complete("parc", "crawl", "--refr"); got != "--refresh" {
		t.Errorf("parc crawl --refr<TAB> = %q, want --refresh", got)
	}
}

// Every command and every flag of it is in the zsh and fish scripts.
func TestZshAndFishCompletionNameEveryCommandAndFlag(t *testing.T) {
	specs := completionSpecs(context.Background())
	for _, shell := range []string{"zsh", "fish"} {
		script := completionScript(t, shell)
		for _, s := range specs {
			if !strings.Contains(script, s.name) {
				t.Errorf("%s script lacks command %s", shell, s.name)
			}
			if len(s.flags) == 0 {
				t.Errorf("no flags read for %s", s.name)
			}
			for _, f := range s.flags {
				want := dashes(f) + f
				if shell == "fish" {
					want = "'__fish_seen_subcommand_from " + s.name + "' " + fishOption(f) + " " + f + "\n"
				}
				if !strings.Contains(script, want) {
					t.Errorf("%s script lacks %s for %s", shell, want, s.name)
				}
			}
		}
		if sh, err := exec.LookPath(shell); err == nil {
			if out, err := exec.Command(sh, "-n", "-c", script).CombinedOutput(); err != nil {
				t.Errorf("%s -n: %v: %s", shell, err, out)
			}
		}
	}
}

func TestCompletionNeedsOneKnownShell(t *testing.T) {
	for _, args := range [][]string{{"completion"}, {"completion", "tcsh"}, {"completion", "bash", "zsh"}} {
		var out, errOut bytes.Buffer
		err := runParc(context.Background(), args, strings.NewReader(""), &out, &errOut)
		if code := exitCode(err); code != exitUsage {
			t.Errorf("parc %s: exit %d, want %d (%v)", strings.Join(args, " "), code, exitUsage, err)
		}
	}
}
