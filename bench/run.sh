#!/usr/bin/env bash
# Times `aksguard scan` on corpora of 1k, 10k and 50k Kubernetes objects made
# by bench/gencorpus from a corpus of real objects, one file per object and
# as multi-document files, and kube-score on the same files when it is
# installed (go install github.com/zegl/kube-score/cmd/kube-score@latest).
#
#   bash bench/run.sh                      # from the repository root
#   SIZES="10000" SRC=/path/to/corpus WORK=/tmp/aksbench bash bench/run.sh
#
# Prints one line per corpus: objects, layout, wall seconds and peak RSS
# (from /usr/bin/time), and kube-score's time and the ratio when available.
# Each corpus is scanned once to warm the page cache, then timed.
set -euo pipefail
SRC=${SRC:-../shared/corpus/real}
WORK=${WORK:-/tmp/aksguard-bench}
SIZES=${SIZES:-"1000 10000 50000"}
mkdir -p "$WORK"
go build -o "$WORK/aksguard" ./cmd/aksguard

timed() { # prints "wall rssKB" for the command
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >/dev/null 2>&1 || true
  tail -1 "$WORK/time"
}

printf '%-8s %-9s %-10s %-10s %s\n' objects layout wall peakRSS kube-score
for n in $SIZES; do
  for layout in files multidoc; do
    dir="$WORK/$layout-$n"
    if [ ! -d "$dir" ]; then
      flag=""
      [ "$layout" = multidoc ] && flag="-multidoc"
      go run ./bench/gencorpus -n "$n" -src "$SRC" -out "$dir" $flag >/dev/null
    fi
    "$WORK/aksguard" scan -o json "$dir" >/dev/null 2>&1 || true
    read -r wall rss <<<"$(timed "$WORK/aksguard" scan -o json "$dir")"
    ks="-"
    if command -v kube-score >/dev/null 2>&1; then
      if [ "$layout" = files ]; then
        # Files as arguments (xargs batches them). Piping all 10k files
        # concatenated into one kube-score run took 243 s and 24 GB here.
        read -r kwall _ <<<"$(timed sh -c "find '$dir' -name '*.yaml' -print0 | xargs -0 kube-score score -o ci")"
      else
        read -r kwall _ <<<"$(timed sh -c "kube-score score -o ci '$dir'/*.yaml")"
      fi
      ks="${kwall}s ($(awk -v a="$kwall" -v b="$wall" 'BEGIN { printf "%.1fx", a / b }'))"
    fi
    printf '%-8s %-9s %-10s %-10s %s\n' "$n" "$layout" "${wall}s" "$((rss / 1024))MB" "$ks"
  done
done
