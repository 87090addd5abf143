package main

import (
	"os"
	"path/filepath"
	"strings"
)

// checkOutput refuses, as a usage error, an output path (flag names it in
// the message) that is a directory, or that is the archive or one of its
// files: the archive itself through any link, or any file whose name
// starts with the archive's (its lock, temporary and index files).
func checkOutput(flag, out, archivePath string) error {
	if out == "" || out == "-" {
		return nil
	}
	if fi, err := os.Stat(out); err == nil && fi.IsDir() {
		return usagef("%s %s is a directory: name a file", flag, out)
	}
	if isArchiveFile(out, archivePath) {
		return usagef("%s %s is the archive %s or one of its files: write the output elsewhere", flag, out, archivePath)
	}
	return nil
}

func isArchiveFile(out, archivePath string) bool {
	if same(out, archivePath) {
		return true
	}
	outDir, outBase := filepath.Split(filepath.Clean(out))
	arcDir, arcBase := filepath.Split(filepath.Clean(archivePath))
	if strings.HasPrefix(outBase, arcBase) && same(dirOrDot(outDir), dirOrDot(arcDir)) {
		return true
	}
	// out links (symbolically or hard) to one of the archive's files.
	entries, err := os.ReadDir(dirOrDot(arcDir))
	if err != nil {
		return false
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), arcBase) && same(out, filepath.Join(dirOrDot(arcDir), e.Name())) {
			return true
		}
	}
	return false
}

func dirOrDot(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}

// same reports whether a and b name one existing file (links followed).
func same(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}
