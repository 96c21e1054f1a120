#!/usr/bin/env bash
# CacheScope on a PostgreSQL server with read replicas (loopback): what batching, pipelining,
# pools, replicas and a write mix do.
#
#   bench/pg_topology.sh [BIN] [ROUNDS] [SECONDS]
#
# Starts a sandbox server with two streaming replicas (scripts/pg-sandbox --replicas 2), loads
# the demo catalogue (100,000 rows) and, in each round, alternating:
#   A. batched loads (cache.batch_loads) on one connection per worker at db.pipeline_depth
#      1, 16 and 64: cached req/s and statements/s;
#   B. batched loads against one query per load at db.connections 1, 8 and 64;
#   C. the default scenario with 0, 1 and 2 replicas (least-loaded): baseline and cached req/s;
#   D. a 10 % write mix with 0 and 1 replica, cache.write_policy invalidate and write-through:
#      stale-read rate, p99 age of a stale read, the replica's worst lag.
# Prints one line per measurement and, at the end, the medians per configuration.
# BIN: a Release build's cachescope.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/release/app/cachescope}
rounds=${2:-3}
seconds=${3:-3}
work=$(mktemp -d)
chmod 0711 "$work"
trap 'scripts/pg-sandbox stop "$work/pg" >/dev/null 2>&1; rm -rf "$work"' EXIT
mapfile -t urls < <(scripts/pg-sandbox start "$work/pg" --replicas 2)
primary=${urls[0]}
"$bin" demo-db --rows 100000 --url "$primary" >/dev/null
psql=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)/psql
for replica in "${urls[1]}" "${urls[2]}"; do
    until [[ "$("$psql" -Atq "$replica" -c 'SELECT count(*) FROM products' 2>/dev/null)" == 100000 ]]; do sleep 0.5; done
done

# shellcheck source=bench/pgbench-common.sh
source bench/pgbench-common.sh
report() { # LABEL FILE: one line of figures, also kept for the medians
    python3 - "$@" <<'PY' | tee -a "$work/lines"
import json, sys
label, path = sys.argv[1], sys.argv[2]
d = json.load(open(path))
b, c, k = d['phases'].get('baseline'), d['phases']['cached'], d['kpis']
fig = {'cached_rps': c['requests'] / c['duration_s'], 'stmts_per_s': c['db_statements'] / c['duration_s'],
       'hit': 100 * c['hits'] / max(1, c['reads'])}
if b:
    fig['baseline_rps'] = b['requests'] / b['duration_s']
if k.get('stale_read_rate') is not None:
    fig['stale_pct'] = 100 * k['stale_read_rate']
    fig['stale_age_p99_ms'] = k['stale_read_p99_age_ms'] or 0.0
reps = d['environment'].get('database', {}).get('replicas', [])
if reps:
    fig['lag_max_ms'] = 1000 * max(r.get('lag_max_s', 0.0) for r in reps)
print(label + '\t' + ' '.join(f'{n}={v:.4g}' for n, v in fig.items()))
PY
}

common=(--set "db.url=$primary" --set workload.keys=100000 --set duration.warmup=500ms
    --set duration.baseline=1s --set "duration.cached=${seconds}s")
for r in $(seq 1 "$rounds"); do
    for depth in 1 16 64; do
        report "A pipeline_depth=$depth batch_loads=true connections=1" "$(run "a$r-$depth" "${common[@]}" \
            --set cache.batch_loads=true --set db.connections=1 --set "db.pipeline_depth=$depth")"
    done
    for pool in 1 8 64; do
        for batch in false true; do
            report "B connections=$pool batch_loads=$batch" "$(run "b$r-$pool-$batch" "${common[@]}" \
                --set "db.connections=$pool" --set "cache.batch_loads=$batch")"
        done
    done
    for n in 0 1 2; do
        replicas=$(IFS=,; echo "${urls[*]:1:$n}")
        report "C replicas=$n" "$(run "c$r-$n" "${common[@]}" --set "db.replicas=$replicas" \
            --set db.replica_reads=least-loaded --set "duration.baseline=${seconds}s")"
    done
    for n in 0 1; do
        replicas=$(IFS=,; echo "${urls[*]:1:$n}")
        for policy in invalidate write-through; do
            report "D writes=10% replicas=$n write_policy=$policy" "$(run "d$r-$n-$policy" "${common[@]}" \
                --set "db.replicas=$replicas" --set workload.read_ratio=0.9 --set "cache.write_policy=$policy")"
        done
    done
done
echo
echo "medians over $rounds rounds (${seconds} s cached phases):"
python3 - "$work/lines" <<'PY'
import collections, statistics, sys
runs = collections.OrderedDict()
for line in open(sys.argv[1]):
    label, figures = line.rstrip('\n').split('\t')
    for pair in figures.split():
        name, value = pair.split('=')
        runs.setdefault(label, collections.OrderedDict()).setdefault(name, []).append(float(value))
for label, figures in runs.items():
    print(label + ': ' + ', '.join(f'{n} {statistics.median(v):.4g}' for n, v in figures.items()))
PY
