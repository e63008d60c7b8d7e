#!/usr/bin/env bash
# Runs every fuzz target in the module for $FUZZTIME (default 5s) each.
# Go runs one fuzz target per invocation, so list them and loop.
#
# A failing input is minimized for at most $FUZZMINIMIZE (default 10x:
# ten executions, not Go's default of 60 s) so that a find does not
# eat the run. A target that ran fewer than $MINEXECS (default 2000)
# executions in $FUZZTIME is run again for the rest, counted; at the end
# each target's executions are printed, and one still short (no
# "execs:" line could be read) is a warning, or a failure with
# FUZZ_STRICT=1. FUZZ_ONLY=REGEX runs only the targets whose
# "./package FuzzName" matches.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZTIME=${FUZZTIME:-5s}
# Minimizing each new interesting input for Go's default of 60 s stalls a
# short run: a target whose seeds are whole templates (kilobytes) spends its
# 5 s minimizing and executes a few dozen inputs (FuzzDecodeTemplate: 15).
# A short, counted minimization keeps thousands of executions per run; a
# crasher is still written, only less minimized.
FUZZMINIMIZE=${FUZZMINIMIZE:-10x}
MINEXECS=${MINEXECS:-2000}
n=0
summary=()
low=0
while IFS= read -r line; do
  file=${line%%:*}
  name=$(sed -E 's/^.*func (Fuzz[A-Za-z0-9_]*)\(.*/\1/' <<<"$line")
  file=${file#./}
  pkg=./$(dirname "$file")
  if [ -n "${FUZZ_ONLY:-}" ] && ! grep -qE "$FUZZ_ONLY" <<<"$pkg $name"; then continue; fi
  echo "fuzz: $pkg $name ($FUZZTIME)"
  # Go 1.26's fuzz coordinator can fail a target with a bare "context
  # deadline exceeded" when -fuzztime ends while a worker is busy (a loaded
  # machine makes it likelier; go.dev/issue/75804, fixed in Go 1.27). That
  # is no finding: a real one writes a reproducer ("Failing input written
  # to"). Such a run is tried once more; anything else fails at once.
  for try in 1 2; do
    log=$(mktemp)
    if go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" -fuzzminimizetime "$FUZZMINIMIZE" "$pkg" 2>&1 | tee "$log"; [ "${PIPESTATUS[0]}" -eq 0 ]; then
      # No "execs:" line (the baseline coverage took the whole run) is 0,
      # not a failure of this script (pipefail).
      execs=$(grep -o 'execs: [0-9]*' "$log" | tail -1 | awk '{print $2}' || true)
      execs=${execs:-0}
      rm -f "$log"
      # A slow target, or one whose baseline coverage took the run on a
      # busy machine, is topped up to $MINEXECS executions by count (a
      # count has no deadline, so no coordinator race either): every
      # target runs thousands of inputs whatever the machine's load.
      if [ "$execs" -lt "$MINEXECS" ]; then
        more=$((MINEXECS - execs))
        echo "fuzz: $name ran $execs executions in $FUZZTIME: $more more"
        log=$(mktemp)
        if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "${more}x" -fuzzminimizetime "$FUZZMINIMIZE" "$pkg" 2>&1 | tee "$log"; then
          rm -f "$log"; exit 1
        fi
        # -fuzztime Nx runs exactly N executions (the baseline coverage of
        # the cached corpus included, which prints no "execs:" line).
        execs=$((execs + more))
        rm -f "$log"
      fi
      summary+=("$(printf '%10s  %s %s' "$execs" "$pkg" "$name")")
      if [ "$execs" -lt "$MINEXECS" ]; then low=$((low+1)); fi
      break
    fi
    if [ "$try" = 1 ] && grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written to\|panic:' "$log"; then
      echo "fuzz: $name: the fuzz coordinator's deadline race (go.dev/issue/75804), no input found: trying once more"
      rm -f "$log"; continue
    fi
    rm -f "$log"; exit 1
  done
  n=$((n+1))
done < <(grep -rn --include='*_test.go' -E '^func Fuzz[A-Za-z0-9_]*\(f \*testing\.F\)' . | grep -v '/.cache/' | sort)
echo "fuzz: executions per target:"
printf '%s\n' "${summary[@]}"
if [ "$low" -gt 0 ]; then
  echo "fuzz: warning: $low target(s) ran fewer than $MINEXECS executions in $FUZZTIME (a loaded machine, or a slow target)"
  if [ "${FUZZ_STRICT:-0}" = 1 ]; then exit 1; fi
fi
echo "fuzz: $n targets passed"
