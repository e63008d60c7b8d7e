#!/usr/bin/env bash
# Installs the Debian packages the tests drive as real programs, when they
# are missing: tmux (the terminal table at fixed widths, captured with
# capture-pane) and chromium (the HTML report in a headless browser).
# `make test` runs it first. Without root (and without sudo) it says what
# is missing; the tests that need a missing program then fail under CI=true
# and skip, saying so, elsewhere.
set -euo pipefail

# command → Debian package
declare -A want=([tmux]=tmux [chromium]=chromium)
missing=()
for cmd in "${!want[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${want[$cmd]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo -n"
  else
    echo "testtools: missing ${missing[*]}; install them (apt-get install ${missing[*]}) to run every test" >&2
    exit 0
  fi
fi
echo "testtools: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null || true
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
