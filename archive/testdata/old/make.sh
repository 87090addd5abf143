#!/usr/bin/env bash
# make.sh PARC OUT.db.gz: a small archive written by PARC (gzipped), and OUT.jsonl its export: 12 simulated articles with
# raw captures, a refresh, one redaction, an export cursor, a queued webhook delivery.
set -euo pipefail
parc=$1; out=$2; w=$(mktemp -d)
$parc sim --listen 127.0.0.1:18599 --articles 12 --seed 3 --write-config $w/c.yaml 2>/dev/null & sp=$!
for i in $(seq 50); do [ -s $w/c.yaml ] && break; sleep 0.1; done
sed -i 's/delay: .*/delay: 0s/' $w/c.yaml
sed -i 's|  webhooks: \[\]|  webhooks: [{url: "http://127.0.0.1:9/hook", secret: "s"}]|' $w/c.yaml
trap 'kill $sp 2>/dev/null || true' EXIT
$parc crawl --config $w/c.yaml --archive $w/a.db 2>&1 | tail -2
$parc crawl --refresh --config $w/c.yaml --archive $w/a.db 2>&1 | tail -1
$parc export --config $w/c.yaml --archive $w/a.db --format jsonl --out $w/all.jsonl 2>/dev/null; id=$(head -1 $w/all.jsonl | jq -r .id)
$parc redact --config $w/c.yaml --archive $w/a.db --reason "test fixture" $id
$parc export --config $w/c.yaml --archive $w/a.db --since-last fixture --out $w/cur.jsonl
kill $sp; wait $sp 2>/dev/null || true
$parc compact --config $w/c.yaml --archive $w/a.db
$parc export --config $w/c.yaml --archive $w/a.db --all-revisions --format jsonl --out "${out%.db.gz}.jsonl"
gzip -9 -c $w/a.db > "$out"; rm -rf $w
