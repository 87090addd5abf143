package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
)

// cmdCompletion prints a shell completion script for parc's commands and
// their flags: `source <(parc completion bash)`.
func cmdCompletion(ctx context.Context, e *env, args []string) error {
	c := newFlags(e, "completion", "completion bash|zsh|fish")
	if err := c.parse(args); err != nil {
		return err
	}
	if len(c.args) != 1 {
		c.fs.Usage()
		return usagef("completion: name one shell: bash, zsh or fish")
	}
	specs := completionSpecs(ctx)
	switch c.args[0] {
	case "bash":
		writeBashCompletion(e.stdout, specs)
	case "zsh":
		writeZshCompletion(e.stdout, specs)
	case "fish":
		writeFishCompletion(e.stdout, specs)
	default:
		return usagef("completion: unknown shell %q (bash, zsh or fish)", c.args[0])
	}
	return nil
}

// commandSpec is what a completion script knows of one command.
type commandSpec struct {
	name, summary string
	flags         []string // without dashes
}

// flagLine matches a flag in the flag package's PrintDefaults output.
var flagLine = regexp.MustCompile(`(?m)^  -([A-Za-z0-9][A-Za-z0-9-]*)`)

// completionSpecs reads every command's flags from its own --help, so the
// scripts cannot drift from the flag sets.
func completionSpecs(ctx context.Context) []commandSpec {
	table := commandTable()
	names := make([]string, 0, len(table))
	for name := range table {
		names = append(names, name)
	}
	sort.Strings(names)
	specs := make([]commandSpec, 0, len(names))
	for _, name := range names {
		var out bytes.Buffer
		help := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &out}
		_ = table[name].run(ctx, help, []string{"--help"}) // errHelp: the usage is in out
		spec := commandSpec{name: name, summary: table[name].summary}
		for _, m := range flagLine.FindAllStringSubmatch(out.String(), -1) {
			spec.flags = append(spec.flags, m[1])
		}
		specs = append(specs, spec)
	}
	return specs
}

func commandNames(specs []commandSpec) string {
	names := make([]string, len(specs))
	for i, s := range specs {
		names[i] = s.name
	}
	return strings.Join(names, " ")
}

// dashes is how parc's docs write a flag: -v, but --config.
func dashes(flag string) string {
	if len(flag) == 1 {
		return "-"
	}
	return "--"
}

func dashed(flags []string) string {
	out := make([]string, len(flags))
	for i, f := range flags {
		out[i] = dashes(f) + f
	}
	return strings.Join(out, " ")
}

func writeBashCompletion(w io.Writer, specs []commandSpec) {
	fmt.Fprintf(w, `# bash completion for parc: source <(parc completion bash)
_parc() {
    local cur=${COMP_WORDS[COMP_CWORD]}
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "help %s" -- "$cur"))
        return
    fi
    local flags=
    case ${COMP_WORDS[1]} in
`, commandNames(specs))
	for _, s := range specs {
		fmt.Fprintf(w, "    %s) flags=%q ;;\n", s.name, dashed(s.flags))
	}
	fmt.Fprint(w, `    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$flags" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -o filenames -F _parc parc
`)
}

func writeZshCompletion(w io.Writer, specs []commandSpec) {
	fmt.Fprint(w, `#compdef parc
# zsh completion for parc: parc completion zsh > "${fpath[1]}/_parc"
_parc() {
    if (( CURRENT == 2 )); then
        local -a commands
        commands=(
`)
	for _, s := range specs {
		fmt.Fprintf(w, "            %s\n", zshQuote(s.name+":"+s.summary))
	}
	fmt.Fprint(w, `        )
        _describe command commands
        return
    fi
    local -a flags
    case $words[2] in
`)
	for _, s := range specs {
		fmt.Fprintf(w, "    %s) flags=(%s) ;;\n", s.name, dashed(s.flags))
	}
	fmt.Fprint(w, `    esac
    if [[ $PREFIX == -* ]]; then
        compadd -- $flags
    else
        _files
    fi
}
compdef _parc parc
`)
}

func writeFishCompletion(w io.Writer, specs []commandSpec) {
	fmt.Fprintln(w, "# fish completion for parc: parc completion fish > ~/.config/fish/completions/parc.fish")
	fmt.Fprintf(w, "complete -c parc -n __fish_use_subcommand -f -a help -d %s\n", fishQuote("describe a command"))
	for _, s := range specs {
		fmt.Fprintf(w, "complete -c parc -n __fish_use_subcommand -f -a %s -d %s\n", s.name, fishQuote(s.summary))
		for _, f := range s.flags {
			fmt.Fprintf(w, "complete -c parc -n '__fish_seen_subcommand_from %s' %s %s\n", s.name, fishOption(f), f)
		}
	}
}

// fishOption is fish's option kind for a flag: -s for one letter, else -l.
func fishOption(flag string) string {
	if len(flag) == 1 {
		return "-s"
	}
	return "-l"
}

// zshQuote and fishQuote single-quote a word for their shells.
func zshQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'"
}
