# Summit — common tasks. See README.md.
GO ?= go
PKGS ?= ./...
FMT_DIRS := $(wildcard cmd app models templates static)

.PHONY: run test build bench fmt vet clean

## run: start the server with demo data (SQLite under ./data unless DATABASE_URL is set)
run:
	$(GO) run ./cmd/summit serve --demo

## test: gofmt check, go vet and the full test suite (sets up Postgres/Chromium as needed)
test:
	bash scripts/test.sh

## build: build the binary into bin/summit
build:
	CGO_ENABLED=1 $(GO) build -o bin/summit ./cmd/summit

## bench: run the benchmarks only
bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

## fmt: format the Go sources in place
fmt:
	$(if $(FMT_DIRS),gofmt -w $(FMT_DIRS),@echo 'no Go source directories yet')

## vet: go vet
vet:
	$(GO) vet $(PKGS)

clean:
	rm -rf bin test-output
