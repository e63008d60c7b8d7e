# aksguard's build and test entry points. `make test` is what CI runs
# (.ci/run) and what the README tells contributors to run.

GO        ?= go
FUZZTIME  ?= 5s
STATICCHECK_VERSION ?= v0.8.2
BIN       ?= $(CURDIR)/.cache/bin

.PHONY: test unit lint fuzz-short fuzz build docs bench clean

## test: everything CI checks — formatting, vet, staticcheck, unit and
## integration tests, docs freshness, and a short run of every fuzz target.
test: lint unit fuzz-short

unit:
	$(GO) test -count=1 ./...

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

## docs: regenerate docs/controls.md from the control registry.
docs:
	$(GO) run ./hack/gendocs > docs/controls.md

clean:
	rm -rf .cache
