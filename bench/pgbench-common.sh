# Shared by the PostgreSQL benchmarks (sourced): $bin is the cachescope to run, $work a scratch
# folder. run NAME ARGS...: one `cachescope run` whose result file it prints; median: of stdin.
run() {
    local name=$1
    shift
    local out="$work/$name.json"
    "$bin" run --quiet --no-history --report "$out" "$@" >/dev/null 2>&1 || true
    echo "$out"
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
