#!/usr/bin/env bash
# CacheScope with a Redis L2 on loopback: how close it comes to the server's own benchmark, what a
# shared L2 costs and buys against an in-process one, and what invalidation does to staleness.
#
#   bench/redis_l2.sh [BIN] [ROUNDS] [SECONDS]
#
# Starts a sandbox server (scripts/redis-sandbox), creates the demo database (100,000 rows) and,
# in each round, alternating:
#   A. fairness: CacheScope at 100 % L2 hits (cache.l1.capacity=0, 10,000 keys, 2 workers,
#      workload.concurrency C: C/2 GETs in flight on each worker's one connection) against
#      `redis-benchmark -t get -d <row size> -c 2 -P C/2` on the same keys — same clients, same
#      pipeline depth;
#   B. the default scenario with no L2, an in-process L2 of 100,000 entries, and the Redis L2:
#      cached req/s, database statements, p50/p99;
#   C. two instances (cache.instances=2) with 1 % and 10 % writes, cache.l2.tracking keys and off:
#      stale-read rate, p99 age of a stale read, write→invalidation delay.
# Prints one line per measurement and, at the end, the medians per configuration.
# BIN: a Release build's cachescope.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/release/app/cachescope}
rounds=${2:-3}
seconds=${3:-3}
clients=${CLIENTS:-64}
work=$(mktemp -d)
trap 'scripts/redis-sandbox stop "$work/redis" >/dev/null 2>&1; rm -rf "$work"' EXIT
url=$(scripts/redis-sandbox start "$work/redis")
port=${url##*:}
"$bin" demo-db --rows 100000 --out "$work/demo.db" >/dev/null

# shellcheck source=bench/pgbench-common.sh
source bench/pgbench-common.sh
common=(--set "duration.baseline=1s" --set "duration.cached=${seconds}s" --set "duration.warmup=1s"
    --set "engine.workers=2")
redis=(--set cache.l2.backend=redis --set "cache.l2.url=$url" --set cache.l2.prefix=bench:)
report() { # LABEL FILE
    python3 - "$@" <<'PY' | tee -a "$work/lines"
import json, sys
label, path = sys.argv[1], sys.argv[2]
d = json.load(open(path))
c, k = d['phases']['cached'], d['kpis']
reads = max(1, c['reads'])
print(f"{label} cached_rps={c['requests_per_s']:.0f} l2_hit_share={c['l2_hits'] / reads:.4f} "
      f"db_statements={c['db_statements']} p50_us={c['p50_us']:.1f} p99_us={c['p99_us']:.1f} "
      f"l2_rtt_p50_us={(c.get('l2_rtt_p50_us') or 0):.1f} stale_rate={(k.get('stale_read_rate') or 0):.6f} "
      f"stale_p99_ms={(k.get('stale_read_p99_age_ms') or 0):.3f} "
      f"invalidation_p50_us={(c.get('invalidation_delay_p50_us') or 0):.1f} "
      f"invalidation_p99_us={(c.get('invalidation_delay_p99_us') or 0):.1f}")
PY
}

# The row's size as the server stores it, from a run under way.
"$bin" run --quiet --no-history --set "db.path=$work/demo.db" "${common[@]}" "${redis[@]}" \
    --set cache.l1.capacity=0 --set workload.keys=10000 >/dev/null 2>&1 &
sleep 2.5
key=$(redis-cli -p "$port" --scan --pattern 'bench:*' | head -n1 || true)
size=$(redis-cli -p "$port" STRLEN "$key")
wait
echo "row size on the server: $size bytes (key $key)"
redis-benchmark -p "$port" -t set -r 10000 -n 200000 -d "$size" -q >/dev/null

for round in $(seq "$rounds"); do
    echo "# round $round"
    # A: fairness, CacheScope and redis-benchmark one after the other.
    f=$(run "a-cs-$round" --set "db.path=$work/demo.db" "${common[@]}" "${redis[@]}" --set cache.l1.capacity=0 \
        --set workload.keys=10000 --set "workload.concurrency=$clients")
    report "A cachescope_100pct_l2" "$f"
    rb=$(redis-benchmark -p "$port" -t get -r 10000 -n $((seconds * 400000)) -d "$size" -c 2 -P $((clients / 2)) -q \
        | tr '\r' '\n' | grep -E '^GET: [0-9.]+ requests per second' | tail -n1 | awk '{print $2}')
    echo "A redis_benchmark rps=$rb" | tee -a "$work/lines"
    # B: L2 backends on the default scenario.
    for l2 in none in-process redis; do
        case $l2 in
        none) extra=() ;;
        in-process) extra=(--set cache.l2.capacity=100000) ;;
        redis) extra=("${redis[@]}") ;;
        esac
        f=$(run "b-$l2-$round" --set "db.path=$work/demo.db" "${common[@]}" "${extra[@]}")
        report "B l2=$l2" "$f"
    done
    # C: staleness, two instances, writes on a copy of the database.
    for ratio in 0.99 0.9; do
        for tracking in keys off; do
            cp "$work/demo.db" "$work/writes.db"
            f=$(run "c-$ratio-$tracking-$round" --set "db.path=$work/writes.db" "${common[@]}" "${redis[@]}" \
                --set cache.instances=2 --set "workload.read_ratio=$ratio" --set "cache.l2.tracking=$tracking")
            report "C writes=$(python3 -c "print(round(1 - $ratio, 2))") tracking=$tracking" "$f"
        done
    done
done

echo "# medians over $rounds rounds"
python3 - "$work/lines" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    parts = line.split()
    label = ' '.join(p for p in parts if '=' not in p or p.startswith(('l2=', 'writes=', 'tracking=')))
    for p in parts:
        if '=' in p and not p.startswith(('l2=', 'writes=', 'tracking=')):
            name, value = p.split('=', 1)
            rows.setdefault(label, {}).setdefault(name, []).append(float(value))
for label, figures in rows.items():
    print(label, ' '.join(f"{n}={statistics.median(v):g}" for n, v in figures.items()))
cs = rows.get('A cachescope_100pct_l2', {}).get('cached_rps')
rb = rows.get('A redis_benchmark', {}).get('rps')
if cs and rb:
    ratios = [a / b for a, b in zip(cs, rb)]
    print(f"A fairness cachescope/redis-benchmark per round: {' '.join(f'{r:.3f}' for r in ratios)}; median {statistics.median(ratios):.3f}")
PY
