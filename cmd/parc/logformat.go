package main

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"sync"
	"time"
)

// Log formats (--log-format).
const (
	logText = "text"
	logJSON = "json"
)

// logFormatOf finds --log-format in a command line before the command has
// parsed it, so that everything parc writes on standard error, up to the
// last error line, follows it. An unknown value is left to the command's
// flag parsing to refuse.
func logFormatOf(args []string) string {
	for i, a := range args {
		switch {
		case a == "--":
			return logText
		case a == "--log-format" || a == "-log-format":
			if i+1 < len(args) {
				return args[i+1]
			}
		case strings.HasPrefix(a, "--log-format=") || strings.HasPrefix(a, "-log-format="):
			return a[strings.IndexByte(a, '=')+1:]
		}
	}
	return logText
}

// jsonLines is standard error under --log-format json: every line is one
// JSON object with a "time" key. A line that is a JSON object already (a
// log record of slog's JSON handler) passes as it is; any other line (a
// summary, a message, the final error) becomes {"time", "level", "msg"}.
type jsonLines struct {
	mu  sync.Mutex
	w   io.Writer
	now func() time.Time
	buf []byte
}

func (j *jsonLines) Write(p []byte) (int, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.buf = append(j.buf, p...)
	for {
		i := bytes.IndexByte(j.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		line := j.buf[:i]
		j.buf = j.buf[i+1:]
		if err := j.line(line); err != nil {
			return len(p), err
		}
	}
}

// line writes one line, without its newline.
func (j *jsonLines) line(line []byte) error {
	if len(bytes.TrimSpace(line)) == 0 {
		return nil
	}
	if line[0] == '{' && json.Valid(line) {
		_, err := j.w.Write(append(line, '\n'))
		return err
	}
	level, msg := "INFO", string(line)
	if strings.HasPrefix(msg, "parc: ") {
		level = "ERROR" // the error a command ended with
	}
	b, err := json.Marshal(struct {
		Time  string `json:"time"`
		Level string `json:"level"`
		Msg   string `json:"msg"`
	}{j.now().Format(time.RFC3339Nano), level, msg})
	if err != nil {
		return err
	}
	_, err = j.w.Write(append(b, '\n'))
	return err
}

// Flush writes a last line that has no newline.
func (j *jsonLines) Flush() {
	j.mu.Lock()
	defer j.mu.Unlock()
	if len(j.buf) > 0 {
		_ = j.line(j.buf)
		j.buf = nil
	}
}
