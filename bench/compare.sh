#!/usr/bin/env bash
# Reproduces every target of issue #13 with one command and prints the
# figures and their ratios:
#
#   1. 10k objects, one file each: aksguard (JSON and table output) against
#      kube-score (installed from the Go module proxy, pinned) in the same
#      interleaved runs; target: kube-score's wall time at least 10x ours.
#   2. The decode floor (bench/decodefloor: sigs.k8s.io/yaml into maps, the
#      CustomResourceDefinitions skipped) on the same 10k files; target:
#      aksguard's CPU (user + sys) at most 0.5x the floor's.
#   3. Cost linear in input: aksguard's CPU per object at 50k within 10 % of
#      its CPU per object at 10k (JSON output). Each 50k run is bracketed by
#      a 10k run just before it and one just after it, and the figure is the
#      median over the runs of the 50k run's CPU per object against the mean
#      of its two 10k runs': the 10k part runs minutes earlier, and a shared
#      machine's load drifts in between and even within a run.
#   4. Peak RSS at 50k for the json, table, sarif and junit outputs, default
#      memory settings; target: under 400 MB each. The json scan is also
#      timed with GOMEMLIMIT=off, the price of the default memory policy.
#   5. 1,000 ARM clusters in one directory (bench/armfleet): the tree against
#      BEFORE (the engine before issue #13, 58b7c5c); target: 2x faster.
#
#   bash bench/compare.sh                        # from the repository root
#   RUNS=5 WORK=/tmp/aksguard-compare bash bench/compare.sh
#   SKIP="arm 50k" bash bench/compare.sh         # leave parts out (10k 50k arm)
#
# Every run is printed (wall s, user s, sys s, peak RSS KB, from
# /usr/bin/time); each figure is the median of RUNS runs (default 3), the
# programs of a part run interleaved (a, b, c, a, b, c, ...) so that the
# load of a shared machine falls on all of them alike. The load average is
# printed before and after each part. Nothing here is a test: the targets
# are printed as met or not, the script does not fail on them.
set -euo pipefail
RUNS=${RUNS:-3}
SRC=${SRC:-../shared/corpus/real}
WORK=${WORK:-/tmp/aksguard-compare}
BEFORE=${BEFORE:-58b7c5c}
KUBE_SCORE=${KUBE_SCORE:-github.com/zegl/kube-score/cmd/kube-score@v1.20.0}
SKIP=${SKIP:-}
SCAN="scan --no-config --today 2026-11-24 --fail-on none"
mkdir -p "$WORK/bin"

skip() { case " $SKIP " in *" $1 "*) return 0 ;; esac; return 1; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# aksguard is built as a release is (hack/release.sh: static, no cgo, no
# symbol table): what users run. The build before issue #13 and the decode
# floor are built the same way.
relbuild() { CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" "$@"; }
echo "# building aksguard and bench/decodefloor; kube-score from the module proxy ($KUBE_SCORE)"
relbuild -o "$WORK/bin/aksguard" ./cmd/aksguard
relbuild -o "$WORK/bin/decodefloor" ./bench/decodefloor
[ -x "$WORK/bin/kube-score" ] || GOBIN="$WORK/bin" go install "$KUBE_SCORE"
for n in 10000 50000; do
  [ -d "$WORK/files-$n" ] || go run ./bench/gencorpus -n "$n" -src "$SRC" -out "$WORK/files-$n"
done
[ -d "$WORK/arm-1000" ] || go run ./bench/armfleet -n 1000 -out "$WORK/arm-1000"

# timed NAME CMD...: runs CMD with its output discarded and appends
# "wall user sys rssKB" to $WORK/runs-NAME, printing the run.
timed() {
  local name=$1
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr" || true
  if ! tail -1 "$WORK/time" | grep -Eq '^[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+$'; then
    echo "$name: no timing; its stderr:" >&2
    tail -5 "$WORK/stderr" >&2
    exit 1
  fi
  tail -1 "$WORK/time" >>"$WORK/runs-$name"
  echo "  $name: $(tail -1 "$WORK/time")"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# wall NAME, cpu NAME (user + sys), rss NAME (MB): medians over the runs.
wall() { cut -d' ' -f1 "$WORK/runs-$1" | median; }
cpu() { awk '{ print $2 + $3 }' "$WORK/runs-$1" | median; }
rss() { awk '{ printf "%.0f\n", $4 / 1024 }' "$WORK/runs-$1" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { ok = (op == "<=") ? v <= t : (op == ">=") ? v >= t : v < t; print ok ? "met" : "NOT met" }'; }
reset() { for n in "$@"; do : >"$WORK/runs-$n"; done; }

# kube-score takes files as arguments (xargs batches them): piping 10k files
# concatenated into one run took 243 s and 24 GB (docs/performance.md).
kubescore() { find "$1" -name '*.yaml' -print0 | xargs -0 "$WORK/bin/kube-score" score -o ci; }
export -f kubescore
export WORK

summary=()
if ! skip 10k; then
  d="$WORK/files-10000"
  echo "# 10k objects, one file each; load average $(load)"
  "$WORK/bin/aksguard" $SCAN -o json "$d" >/dev/null 2>&1 || true # warm the page cache
  reset json10k table10k ks10k floor10k
  for i in $(seq "$RUNS"); do
    echo " run $i"
    timed json10k "$WORK/bin/aksguard" $SCAN -o json "$d"
    timed table10k "$WORK/bin/aksguard" $SCAN -o table "$d"
    timed ks10k bash -c 'kubescore "$0"' "$d"
    timed floor10k "$WORK/bin/decodefloor" "$d"
  done
  echo "  load average after: $(load)"
  ks=$(wall ks10k)
  for f in json table; do
    r=$(ratio "$ks" "$(wall ${f}10k)")
    summary+=("10k files, $f: kube-score wall $ks s / aksguard $(wall ${f}10k) s = ${r}x (target >= 10: $(verdict "$r" ">=" 10)); CPU $(cpu ks10k) s / $(cpu ${f}10k) s = $(ratio "$(cpu ks10k)" "$(cpu ${f}10k)")x; peak RSS $(rss ks10k) / $(rss ${f}10k) MB")
  done
  r=$(ratio "$(cpu json10k)" "$(cpu floor10k)")
  summary+=("10k files: aksguard CPU $(cpu json10k) s / decode floor CPU $(cpu floor10k) s = $r (target <= 0.5: $(verdict "$r" "<=" 0.5))")
fi

if ! skip 50k; then
  d="$WORK/files-50000"
  echo "# 50k objects, one file each; load average $(load)"
  "$WORK/bin/aksguard" $SCAN -o json "$d" >/dev/null 2>&1 || true
  "$WORK/bin/aksguard" $SCAN -o json "$WORK/files-10000" >/dev/null 2>&1 || true
  reset json50k table50k sarif50k junit50k nolimit50k pair10k post10k
  for i in $(seq "$RUNS"); do
    echo " run $i"
    timed pair10k "$WORK/bin/aksguard" $SCAN -o json "$WORK/files-10000"
    timed json50k "$WORK/bin/aksguard" $SCAN -o json "$d"
    timed post10k "$WORK/bin/aksguard" $SCAN -o json "$WORK/files-10000"
    for f in table sarif junit; do
      timed ${f}50k "$WORK/bin/aksguard" $SCAN -o $f "$d"
    done
    # The price of the default memory policy: the same scan without a
    # soft memory limit.
    timed nolimit50k env GOMEMLIMIT=off "$WORK/bin/aksguard" $SCAN -o json "$d"
  done
  echo "  load average after: $(load)"
  for f in json table sarif junit; do
    m=$(rss ${f}50k)
    summary+=("50k files, $f: peak RSS $(printf '%.0f' "$m") MB (target < 400: $(verdict "$m" "<" 400)), wall $(wall ${f}50k) s, CPU $(cpu ${f}50k) s")
  done
  summary+=("50k files, json with GOMEMLIMIT=off (no soft limit): peak RSS $(printf '%.0f' "$(rss nolimit50k)") MB, CPU $(cpu nolimit50k) s; the default policy's CPU / no limit's = $(ratio "$(cpu json50k)" "$(cpu nolimit50k)")")
  # The ratio of each 50k json run to the mean of the 10k runs around it
  # (columns: 10k before 1-4, 50k 5-8, 10k after 9-12), median.
  r=$(paste -d' ' "$WORK/runs-pair10k" "$WORK/runs-json50k" "$WORK/runs-post10k" |
    awk '{ printf "%.4f\n", (($6 + $7) / 50000) / ((($2 + $3) + ($10 + $11)) / 2 / 10000) }' | median)
  r=$(printf '%.2f' "$r")
  both=$(cat "$WORK/runs-pair10k" "$WORK/runs-post10k" | awk '{ print $2 + $3 }' | median)
  summary+=("CPU per object, json: 50k $(cpu json50k) s / 10k $both s (the 10k runs just before and after each 50k one) per object, median of the runs = $r (target <= 1.10: $(verdict "$r" "<=" 1.10))")
fi

if ! skip arm; then
  d="$WORK/arm-1000"
  if [ ! -x "$WORK/bin/aksguard-$BEFORE-release" ]; then
    rm -rf "$WORK/src-$BEFORE" && mkdir -p "$WORK/src-$BEFORE"
    git archive "$BEFORE" | tar -x -C "$WORK/src-$BEFORE"
    (cd "$WORK/src-$BEFORE" && relbuild -o "$WORK/bin/aksguard-$BEFORE-release" ./cmd/aksguard)
  fi
  echo "# 1,000 ARM clusters; load average $(load)"
  "$WORK/bin/aksguard" $SCAN -o json "$d" >/dev/null 2>&1 || true
  reset armbefore armafter
  for i in $(seq "$RUNS"); do
    echo " run $i"
    timed armbefore "$WORK/bin/aksguard-$BEFORE-release" $SCAN -o json "$d"
    timed armafter "$WORK/bin/aksguard" $SCAN -o json "$d"
  done
  echo "  load average after: $(load)"
  r=$(ratio "$(wall armbefore)" "$(wall armafter)")
  summary+=("1,000 ARM clusters, json: $BEFORE $(wall armbefore) s / tree $(wall armafter) s = ${r}x wall (target >= 2: $(verdict "$r" ">=" 2)); CPU $(cpu armbefore) s -> $(cpu armafter) s, peak RSS $(rss armbefore) -> $(rss armafter) MB")
fi

echo "# medians of $RUNS runs, $(date -u +%Y-%m-%dT%H:%MZ), load average $(load)"
for line in "${summary[@]}"; do
  echo "$line"
done
