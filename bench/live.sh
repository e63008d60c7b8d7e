#!/usr/bin/env bash
# Times a live scan (aksguard scan --kubeconfig) of a real kube-apiserver +
# etcd on loopback holding a corpus of real objects, scaled by
# bench/gencorpus. Needs the binaries of `make kubeapi`.
#
#   bash bench/live.sh                     # from the repository root
#   N=12500 RUNS=5 bash bench/live.sh
#
# Prints the objects created, then for each run: wall seconds and peak RSS
# of the scan (from /usr/bin/time), and the objects aksguard read.
set -euo pipefail
N=${N:-12500} # about 10,000 of them are stored; the rest are kinds without their CRD, or rejected
RUNS=${RUNS:-3}
SRC=${SRC:-../shared/corpus/real}
WORK=${WORK:-/tmp/aksguard-bench-live}
mkdir -p "$WORK"
go build -o "$WORK/aksguard" ./cmd/aksguard
go build -o "$WORK/liveload" ./bench/liveload
[ -d "$WORK/corpus-$N" ] || go run ./bench/gencorpus -n "$N" -src "$SRC" -out "$WORK/corpus-$N" -multidoc >/dev/null

ready="$WORK/ready"
rm -f "$ready"
KUBEAPI_READY_FILE="$ready" KUBEAPI_PARENT_PID=$$ ./hack/kubeapi.sh >"$WORK/kubeapi.log" 2>&1 &
api=$!
trap 'kill -TERM $api 2>/dev/null; wait $api 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do [ -s "$ready" ] && break; sleep 0.2; done
[ -s "$ready" ] || { echo "kube-apiserver did not start; see $WORK/kubeapi.log"; exit 1; }
kc=$(cat "$ready")

"$WORK/liveload" -kubeconfig "$kc" -dir "$WORK/corpus-$N"
printf '%-4s %-8s %-9s %s\n' run wall peakRSS objects-read
for i in $(seq 1 "$RUNS"); do
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$WORK/aksguard" scan --kubeconfig "$kc" --no-config -o json --output-file "$WORK/report.json" >/dev/null 2>&1 || true
  read -r wall rss <<<"$(tail -1 "$WORK/time")"
  objs=$(python3 -c 'import json,sys; print(sum(json.load(open(sys.argv[1]))["summary"]["kubernetes"]["objects"].values()))' "$WORK/report.json")
  printf '%-4s %-8s %-9s %s\n' "$i" "${wall}s" "$((rss / 1024))MB" "$objs"
done
