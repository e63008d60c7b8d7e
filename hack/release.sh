#!/usr/bin/env bash
# aksguard's release build without goreleaser: the same targets and the same
# go build flags as .goreleaser.yaml (TestReleaseConfigsAgree in
# cmd/aksguard compares them, and the Dockerfile builds through --binary).
#
#   hack/release.sh [DIST]        every target into DIST (default dist/): one
#                                 archive per target (binary, LICENSE, NOTICE,
#                                 README.md), a CycloneDX SBOM per binary,
#                                 checksums.txt (SHA-256) and the krew
#                                 manifest aksguard.krew.yaml
#   hack/release.sh --binary OUT  one static binary for GOOS/GOARCH (default:
#                                 this machine's): the Dockerfile's build
#   hack/release.sh --config      print the targets and the build command with
#                                 VERSION, COMMIT and COMMIT_DATE unexpanded
#
# VERSION (a v-tag), COMMIT and COMMIT_DATE (RFC 3339, UTC) default to git's:
# the tag at HEAD, else the last tag plus -SNAPSHOT-<short commit>; HEAD; its
# commit time. Set them when building outside a git checkout (Docker).
# Archives and SBOMs carry the commit time, so the same commit gives the
# same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."

MODULE=github.com/aksguard/aksguard
TARGETS=(linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64)
# The environment's GOFLAGS (and go env -w) do not change a release.
export GOFLAGS=-mod=readonly

git_version() {
  local tag short dirty=""
  short=$(git rev-parse --short=12 HEAD 2>/dev/null) || { echo v0.0.0-dev; return; }
  [ -z "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] || dirty=-dirty
  if tag=$(git describe --tags --exact-match --match 'v*' HEAD 2>/dev/null); then
    # A release is built from the tagged commit as committed, or not at all.
    [ -z "$dirty" ] || { echo "uncommitted changes: a release builds the tagged commit only" >&2; return 1; }
    echo "$tag"
    return
  fi
  tag=$(git describe --tags --abbrev=0 --match 'v*' 2>/dev/null || echo v0.0.0)
  echo "$tag-SNAPSHOT-$short$dirty"
}

ldflags() { # VERSION COMMIT COMMIT_DATE
  echo "-s -w -X $MODULE/internal/cli.Version=$1 -X $MODULE/internal/cli.Commit=$2 -X $MODULE/internal/cli.CommitDate=$3"
}

build() { # GOOS GOARCH OUT
  CGO_ENABLED=0 GOOS=$1 GOARCH=$2 go build -trimpath -ldflags "$(ldflags "$VERSION" "$COMMIT" "$COMMIT_DATE")" -o "$3" ./cmd/aksguard
}

if [ "${1:-}" = "--config" ]; then
  for t in "${TARGETS[@]}"; do echo "target $t"; done
  echo "build CGO_ENABLED=0 go build -trimpath -ldflags \"$(ldflags VERSION COMMIT COMMIT_DATE)\" ./cmd/aksguard"
  exit 0
fi

if [ -z "${VERSION:-}" ]; then
  VERSION=$(git_version) || { echo "release.sh: no version; set VERSION to build anyway" >&2; exit 2; }
fi
COMMIT=${COMMIT:-$(git rev-parse HEAD 2>/dev/null || true)}
COMMIT_DATE=${COMMIT_DATE:-$(TZ=UTC0 git log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ 2>/dev/null || true)}
case "$VERSION" in v*) ;; *) echo "release.sh: VERSION $VERSION: want a v-tag like v1.2.3" >&2; exit 2 ;; esac

if [ "${1:-}" = "--binary" ]; then
  [ -n "${2:-}" ] || { echo "usage: hack/release.sh --binary OUT" >&2; exit 2; }
  build "${GOOS:-$(go env GOOS)}" "${GOARCH:-$(go env GOARCH)}" "$2"
  exit 0
fi

DIST=${1:-dist}
rm -rf "$DIST"
mkdir -p "$DIST"
DIST=$(cd "$DIST" && pwd)
when=${COMMIT_DATE:-1970-01-01T00:00:00Z}
go build -o "$DIST/.dist" ./hack/dist
number=${VERSION#v}
for t in "${TARGETS[@]}"; do
  os=${t%/*} arch=${t#*/}
  name="aksguard_${number}_${os}_${arch}"
  bin=aksguard
  [ "$os" = windows ] && bin=aksguard.exe
  mkdir -p "$DIST/$name"
  echo "release.sh: $t" >&2
  build "$os" "$arch" "$DIST/$name/$bin"
  ext=tar.gz
  [ "$os" = windows ] && ext=zip
  "$DIST/.dist" archive -o "$DIST/$name.$ext" -time "$when" "$DIST/$name/$bin" LICENSE NOTICE README.md
  "$DIST/.dist" sbom -o "$DIST/$name.cdx.json" -time "$when" -version "$VERSION" "$DIST/$name/$bin"
done
rm "$DIST/.dist"

sha256() { if command -v sha256sum >/dev/null; then sha256sum "$@"; else shasum -a 256 "$@"; fi; }
(cd "$DIST" && sha256 ./*.tar.gz ./*.zip ./*.cdx.json | sed 's| \./| |' > checksums.txt)

# The krew manifest: the template with this release's version and hashes.
krew=$(sed -e "s|@VERSION@|$VERSION|g" -e "s|@NUMBER@|$number|g" deploy/krew/aksguard.yaml)
for t in "${TARGETS[@]}"; do
  os=${t%/*} arch=${t#*/}
  ext=tar.gz
  [ "$os" = windows ] && ext=zip
  sum=$(awk -v f="aksguard_${number}_${os}_${arch}.$ext" '$2 == f {print $1}' "$DIST/checksums.txt")
  krew=${krew//@SHA256_${os}_${arch}@/$sum}
done
printf '%s\n' "$krew" > "$DIST/aksguard.krew.yaml"
echo "release.sh: $VERSION ($COMMIT) in $DIST" >&2
