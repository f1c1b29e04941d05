# Frontline — the two set-up commands are `make run` and `make test` (see README.md).
SWIFT ?= swift

.PHONY: setup build release test run bench validate clean

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release --product frontline

test:
	@bash scripts/setup.sh --test
	$(SWIFT) test

validate: build
	$(SWIFT) run frontline validate

# The main job on the default dataset: the tile server with its viewer.
run: release
	@BIN="$$($(SWIFT) build -c release --show-bin-path)/frontline"; \
	"$$BIN" validate && exec "$$BIN" serve --host 127.0.0.1 --port $${PORT:-8080}

bench:
	@bash scripts/setup.sh --bench
	@bash bench/run.sh

clean:
	rm -rf .build
