# Frontline — the two set-up commands are `make run` and `make test` (see README.md).
SWIFT ?= swift

.PHONY: setup build release test run bench validate clean

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release --product frontline

test: setup
	$(SWIFT) test

validate: build
	$(SWIFT) run frontline validate

# The main job on the default dataset. Until the tile server exists: today's overlaps
# (the dataset's default date) and the changes of March 2022.
run: release
	@BIN="$$($(SWIFT) build -c release --show-bin-path)/frontline"; \
	"$$BIN" validate && echo && \
	"$$BIN" overlaps --format table && echo && \
	"$$BIN" changes --from 2022-03-01 --to 2022-03-28 --format table

bench:
	@bash scripts/setup.sh --bench
	@bash bench/run.sh

clean:
	rm -rf .build
