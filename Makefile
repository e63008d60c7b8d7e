# aksguard's build and test entry points. `make test` is what CI runs
# (.ci/run) and what the README tells contributors to run.

GO        ?= go
FUZZTIME  ?= 5s
STATICCHECK_VERSION ?= v0.8.2
BIN       ?= $(CURDIR)/.cache/bin

.PHONY: test unit lint fuzz-short fuzz build docs bench clean kubeapi testtools release-snapshot

## test: everything CI checks — formatting, vet, staticcheck, unit and
## integration tests (live ones against a real kube-apiserver + etcd),
## docs freshness, and a short run of every fuzz target.
test: lint testtools kubeapi unit fuzz-short

## testtools: the Debian programs tests drive (tmux, chromium), installed
## when missing (hack/testtools.sh).
testtools:
	./hack/testtools.sh

## unit: go test ./... . Under CI=true the live tests fail, rather than
## skip, when the kube-apiserver binaries are missing. setsid puts the tests
## and the API servers they start in one process group, killed at the end
## so nothing outlives a crashed test binary.
unit:
	@setsid --wait $(GO) test -count=1 ./... & pid=$$!; \
	  trap 'kill -TERM -- -$$pid 2>/dev/null' INT TERM; \
	  wait $$pid; rc=$$?; kill -TERM -- -$$pid 2>/dev/null; exit $$rc

## kubeapi: build kube-apiserver and etcd (v1.37.1) for the live tests into
## ~/.cache/kubeapi, once per machine (about 8 minutes cold; instant when
## cached).
kubeapi:
	./hack/kubeapi.sh --build

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	@test -x $(BIN)/staticcheck || GOBIN=$(BIN) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	$(BIN)/staticcheck ./...

## fuzz-short: run each fuzz target for FUZZTIME (default 5s).
fuzz-short:
	FUZZTIME=$(FUZZTIME) ./hack/fuzz.sh

## fuzz: a longer fuzz run (FUZZTIME=2m make fuzz).
fuzz:
	FUZZTIME=$${FUZZTIME:-2m} ./hack/fuzz.sh

build:
	$(GO) build -o $(BIN)/aksguard ./cmd/aksguard

## release-snapshot: the release archives, SBOMs, checksums and krew
## manifest into dist/ without a tag and without publishing (docs/install.md):
## goreleaser when it is installed, else hack/release.sh (same targets and
## flags; TestReleaseConfigsAgree keeps them in step). Not part of `test`:
## it builds six binaries.
release-snapshot:
	@if command -v goreleaser >/dev/null 2>&1; then goreleaser release --snapshot --clean; \
	  elif [ -x $(BIN)/goreleaser ]; then $(BIN)/goreleaser release --snapshot --clean; \
	  else ./hack/release.sh dist; fi

## docs: regenerate docs/controls.md and docs/frameworks.md from the control registry.
docs:
	$(GO) run ./hack/gendocs > docs/controls.md
	$(GO) run ./hack/gendocs -frameworks > docs/frameworks.md
	$(GO) run ./hack/gendocs -live docs/live-kubernetes.md

clean:
	rm -rf .cache
