package main

import "context"

func cmdWatch(ctx context.Context, e *env, args []string) error {
	return usagef("watch is not in this build yet (issue 5); run `parc crawl` from cron or a systemd timer meanwhile")
}
