package main

import "context"

func cmdReextract(ctx context.Context, e *env, args []string) error {
	return usagef("reextract is not in this build yet")
}

func cmdBackup(ctx context.Context, e *env, args []string) error {
	return usagef("backup is not in this build yet")
}

func cmdCompact(ctx context.Context, e *env, args []string) error {
	return usagef("compact is not in this build yet")
}

func cmdRedact(ctx context.Context, e *env, args []string) error {
	return usagef("redact is not in this build yet")
}
