#!/usr/bin/env bash
# Times `aksguard scan` before and after a change of the engine, runs
# interleaved (before, after, before, ...) so the load of a shared machine
# falls on both alike, on two corpora: a fleet of 1,000 ARM clusters in one
# directory (bench/armfleet) and 10,000 Kubernetes objects one file each
# (bench/gencorpus). Prints every run, then the medians and the ratio, with
# the load average before and after.
#
#   bash bench/engine.sh                         # from the repository root
#   BEFORE=58b7c5c RUNS=5 FORMATS="json table" bash bench/engine.sh
#
# BEFORE is the commit to compare with (built from `git archive`), the
# working tree is "after". Output: wall s, user s, peak RSS KB per run.
set -euo pipefail
BEFORE=${BEFORE:-58b7c5c}
RUNS=${RUNS:-5}
FORMATS=${FORMATS:-json}
SRC=${SRC:-../shared/corpus/real}
WORK=${WORK:-/tmp/aksguard-engine-bench}
mkdir -p "$WORK"
if [ ! -x "$WORK/aksguard-$BEFORE" ]; then
  rm -rf "$WORK/src-$BEFORE" && mkdir -p "$WORK/src-$BEFORE"
  git archive "$BEFORE" | tar -x -C "$WORK/src-$BEFORE"
  (cd "$WORK/src-$BEFORE" && go build -o "$WORK/aksguard-$BEFORE" ./cmd/aksguard)
fi
go build -o "$WORK/aksguard-after" ./cmd/aksguard
[ -d "$WORK/arm-1000" ] || go run ./bench/armfleet -n 1000 -out "$WORK/arm-1000"
[ -d "$WORK/files-10000" ] || go run ./bench/gencorpus -n 10000 -src "$SRC" -out "$WORK/files-10000" >/dev/null

timed() { # prints "wall user rssKB" for a scan by binary $1 of $3 in format $2
  /usr/bin/time -f "%e %U %M" -o "$WORK/time" "$1" scan --no-config --today 2026-11-24 --fail-on none -o "$2" "$3" >/dev/null 2>&1 || true
  tail -1 "$WORK/time"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for corpus in arm-1000 files-10000; do
  for format in $FORMATS; do
    dir="$WORK/$corpus"
    timed "$WORK/aksguard-after" "$format" "$dir" >/dev/null # warm the page cache
    : >"$WORK/runs-before" && : >"$WORK/runs-after"
    for i in $(seq "$RUNS"); do
      for build in "$BEFORE" after; do
        t=$(timed "$WORK/aksguard-$build" "$format" "$dir")
        echo "$corpus $format $build run $i: $t"
        tag=after && [ "$build" = "$BEFORE" ] && tag=before
        echo "$t" >>"$WORK/runs-$tag"
      done
    done
    for what in 1:wall 2:user 3:rss; do
      col=${what%%:*} name=${what#*:}
      b=$(cut -d' ' -f"$col" "$WORK/runs-before" | median)
      a=$(cut -d' ' -f"$col" "$WORK/runs-after" | median)
      echo "$corpus $format median $name: before $b, after $a ($(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2fx", b / a }'))"
    done
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
