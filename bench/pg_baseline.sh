#!/usr/bin/env bash
# CacheScope on a real PostgreSQL server (loopback), against the server's own benchmark.
#
#   bench/pg_baseline.sh [BIN] [ROUNDS] [SECONDS] [CLIENTS]
#
# Starts a sandbox server (scripts/pg-sandbox), loads the demo catalogue (100,000 rows) and,
# alternating in each round:
#   1. pgbench -n -M prepared -c CLIENTS -j 2 -T SECONDS with the same point SELECT of every
#      column, keys uniform over the table;
#   2. cachescope's uncached baseline: the same clients (one connection each), the same keys
#      distribution, its reads/s from the result JSON;
# then, once per round, the default scenario on the server (throughput ratio, DB query reduction,
# p50/p99 reductions) and batched loads against one query per load at db.connections 1 and 8.
# Prints one line per measurement and the medians. BIN: a Release build's cachescope.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/release/app/cachescope}
rounds=${2:-3}
seconds=${3:-4}
clients=${4:-16}
work=$(mktemp -d)
chmod 0711 "$work"
trap 'scripts/pg-sandbox stop "$work/pg" >/dev/null 2>&1; rm -rf "$work"' EXIT
url=$(scripts/pg-sandbox start "$work/pg" | head -1)
"$bin" demo-db --rows 100000 --url "$url" >/dev/null
pgbench=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)/pgbench
printf '\\set k random(1, 100000)\nSELECT * FROM products WHERE id = :k;\n' > "$work/read.sql"
chmod 0644 "$work/read.sql"

field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }
# shellcheck source=bench/pgbench-common.sh
source bench/pgbench-common.sh

common=(--set "db.url=$url" --set workload.keys=100000 --set duration.warmup=500ms)
: > "$work/fair"
: > "$work/default"
for r in $(seq 1 "$rounds"); do
    tps=$("$pgbench" -n -M prepared -f "$work/read.sql" -c "$clients" -j 2 -T "$seconds" "$url" 2>/dev/null \
        | sed -nE 's/^tps = ([0-9.]+).*/\1/p')
    f=$(run "base$r" "${common[@]}" --set workload.distribution=uniform --set "workload.concurrency=$clients" \
        --set "duration.baseline=${seconds}s" --set duration.cached=1s)
    ours=$(field "$f" "d['phases']['baseline']['requests'] / d['phases']['baseline']['duration_s']")
    echo "round $r: pgbench $tps reads/s, cachescope baseline $ours reads/s, ratio $(python3 -c "print(round($ours / $tps, 3))")" | tee -a "$work/fair.log"
    python3 -c "print($ours / $tps)" >> "$work/fair"
    d=$(run "default$r" "${common[@]}" --set "duration.baseline=${seconds}s" --set "duration.cached=$((2 * seconds))s")
    field "$d" "'default scenario: hit %.1f %%, throughput %.2fx, DB queries -%.1f %%, p50 -%.1f %%, p99 -%.1f %%, baseline p50 %.0f us, cached p50 %.1f us' % (100*d['kpis']['hit_rate'], d['kpis']['throughput_ratio'], 100*d['kpis']['db_query_reduction'], 100*d['kpis']['p50_reduction'], 100*d['kpis']['p99_reduction'], d['phases']['baseline']['p50_us'], d['phases']['cached']['p50_us'])"
    field "$d" "d['kpis']['throughput_ratio']" >> "$work/default"
    for pool in 1 8; do
        for batch in false true; do
            b=$(run "batch$r-$pool-$batch" "${common[@]}" --set "db.connections=$pool" --set "cache.batch_loads=$batch" \
                --set "duration.baseline=1s" --set "duration.cached=${seconds}s")
            python3 - "$b" "$pool" "$batch" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))['phases']['cached']
print(f"db.connections={sys.argv[2]} cache.batch_loads={sys.argv[3]}: cached {d['requests'] / d['duration_s']:.0f} req/s, "
      f"{d['db_statements'] / d['duration_s']:.0f} statements/s, hit {100 * d['hits'] / max(1, d['reads']):.1f} %")
EOF
        done
    done
done
echo "median baseline ÷ pgbench: $(median < "$work/fair") over $rounds rounds ($clients clients, ${seconds} s each)"
echo "median default-scenario throughput ratio: $(median < "$work/default")"
