# Frontline — the two set-up commands are `make run` and `make test` (see README.md).
SWIFT ?= swift

.PHONY: setup build release test run bench validate clean install cluster

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release --product frontline

# The tests start a private PostgreSQL cluster (scripts/postgres.sh, .build/test-postgres); it is
# stopped when they end, whatever their result.
test: geodata-check
	@bash scripts/setup.sh --test
	@$(SWIFT) test; status=$$?; bash scripts/postgres.sh stop .build/test-postgres; exit $$status

validate: build
	$(SWIFT) run frontline validate

# The main job on the default dataset: the tile server with its viewer.
run: release
	@BIN="$$($(SWIFT) build -c release --show-bin-path)/frontline"; \
	"$$BIN" validate && exec "$$BIN" serve --host 127.0.0.1 --port $${PORT:-8080}

# Many users: PostgreSQL + PostGIS, two replicas on it and nginx in front (scripts/cluster.sh);
# Ctrl-C stops it all.
cluster: release
	@bash scripts/setup.sh --test
	@bash scripts/cluster.sh run

# One self-contained program (styles and viewer are built in): PREFIX=/usr/local by default.
PREFIX ?= /usr/local
install: release
	@BIN="$$($(SWIFT) build -c release --show-bin-path)/frontline"; \
	install -d "$(DESTDIR)$(PREFIX)/bin" && install -m 755 "$$BIN" "$(DESTDIR)$(PREFIX)/bin/frontline" && \
	echo "installed $(DESTDIR)$(PREFIX)/bin/frontline"

bench:
	@bash scripts/setup.sh --bench
	@bash bench/run.sh

clean:
	rm -rf .build

# The default dataset (geodata/), rebuilt from tools/geodata/inputs/ alone with the pinned
# Python packages of tools/geodata/requirements.txt; it makes exactly the committed files.
.PHONY: geodata geodata-check
geodata:
	@bash scripts/setup.sh --geodata
	sh tools/geodata/python tools/geodata/build.py --out geodata

# Builds into a temporary folder and fails, naming the files, unless it equals geodata/ byte for byte.
geodata-check:
	@bash scripts/setup.sh --geodata
	@bash tools/geodata/check.sh
