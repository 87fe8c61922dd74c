# Thin wrapper: the real build is CMake (CMakePresets.json). `make test` and `make run`
# work on a fresh Debian 12 machine: they install what is missing first.

APT_PACKAGES := build-essential cmake pkg-config git ca-certificates \
  libboost1.81-dev libboost-url1.81-dev libsqlite3-dev sqlite3 nlohmann-json3-dev libfmt-dev \
  catch2 libspdlog-dev libcli11-dev libssl-dev libcsv-dev prometheus-cpp-dev \
  libkainjow-mustache-dev python3 python3-mpmath chromium fonts-wqy-microhei \
  prometheus systemd

DB ?= hrsurvey-demo.db
RESPONSES ?= 20000
HRSURVEY_RELEASE := build/release/server/hrsurvey

.PHONY: deps build build-release test test-browser test-asan test-tsan screenshots run bench \
  bench-report bench-form bench-soak bench-deps clean format fuzz fuzz-deps fuzz-build test-fuzz

deps: node_modules/.installed
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing: $$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# Node.js may come from Debian or elsewhere (some ship npm inside nodejs): install
# Debian's only when there is no npm at all.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

build: deps
	cmake --preset dev >/dev/null
	cmake --build --preset dev

build-release: deps
	cmake --preset release >/dev/null
	cmake --build --preset release

test: build
	ctest --preset dev
	$(RUN_BROWSER_TESTS)
	node tests/schema/check_templates.mjs
	npx --no-install redocly lint docs/openapi.yaml
	$(MAKE) --no-print-directory test-asan
	$(MAKE) --no-print-directory test-tsan
	$(MAKE) --no-print-directory test-fuzz

# The survey pages in Debian's chromium (playwright-core and axe-core from npm), served by
# the dev build from demo stores; see tests/browser/support.mjs.
RUN_BROWSER_TESTS = HRSURVEY_BIN=build/dev/server/hrsurvey node --test tests/browser/*.test.mjs

test-browser: build
	$(RUN_BROWSER_TESTS)

# Rewrites docs/screenshots/*.png (the README's) from a demo store.
screenshots: build
	HRSURVEY_BIN=build/dev/server/hrsurvey HRSURVEY_SCREENSHOTS=1 \
	  node --test --test-name-pattern=screenshot \
	  tests/browser/screenshots.test.mjs tests/browser/dashboard.test.mjs

# The whole suite again under AddressSanitizer and UndefinedBehaviorSanitizer.
test-asan: deps
	cmake --preset asan >/dev/null
	cmake --build --preset asan
	ctest --preset asan

# The concurrency tests under ThreadSanitizer: the engine's (the writer thread, group
# commit, concurrent submits, kill -9 of a writer) and the server's quality-of-service
# tests (sessions, shutdown, kill -9, double submits, backup under load), with hrsurvey
# itself built with TSan. Only those two test binaries and what they need are built.
test-tsan: deps
	cmake --preset tsan >/dev/null
	cmake --build --preset tsan
	ctest --preset tsan

# libFuzzer targets (tests/fuzz, docs/FUZZING.md): clang 19, since clang 14's
# __cpp_concepts hides libstdc++ 12's <expected>. `make fuzz` runs each target for
# FUZZ_SECONDS; `make test` runs each briefly. A crash fails the run and leaves the
# reproducer in build/fuzz/artifacts/<target>/.
FUZZ_APT_PACKAGES := clang-19 libfuzzer-19-dev
FUZZ_SECONDS ?= 300

fuzz-deps:
	@missing=$$(for p in $(FUZZ_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing: $$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

fuzz-build: deps fuzz-deps
	cmake --preset fuzz >/dev/null
	cmake --build --preset fuzz

fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh

test-fuzz: fuzz-build
	FUZZ_SECONDS=5 tests/fuzz/run.sh

LISTEN ?= 127.0.0.1:8080

# Creates the demo store on first use, prints tokens and links to try, then serves it
# until Ctrl-C (which drains and exits cleanly).
run: build-release
	@if [ -f "$(DB)" ]; then \
	  echo "using the existing $(DB) (delete it to start over); new tokens for this run:"; \
	  printf '  admin        %s\n' "$$($(HRSURVEY_RELEASE) token create --role admin --label 'make run' --db '$(DB)' 2>/dev/null)"; \
	  printf '  lead         %s\n' "$$($(HRSURVEY_RELEASE) token create --role lead --label 'make run' --db '$(DB)' 2>/dev/null)"; \
	  printf '  integration  %s\n' "$$($(HRSURVEY_RELEASE) token create --role integration --label 'make run' --db '$(DB)' 2>/dev/null)"; \
	  printf 'a new invitation:\n  %s\n' "$$($(HRSURVEY_RELEASE) invite --staff s-101 --db '$(DB)' --base-url 'http://$(LISTEN)' 2>/dev/null)"; \
	else \
	  $(HRSURVEY_RELEASE) demo --db "$(DB)" --responses $(RESPONSES) --base-url "http://$(LISTEN)"; \
	fi
	@echo "try:  curl -s http://$(LISTEN)/api/v1/reports/overview -H 'Authorization: Bearer <lead token>'"
	@echo "API:  docs/openapi.yaml; more examples in README.md. Ctrl-C stops the server."
	$(HRSURVEY_RELEASE) serve --listen $(LISTEN) --db "$(DB)"

# Store writes (bench/store), then HTTP ingest against nginx in the same run
# (bench/ingest/run.sh; ROUNDS, DURATION, RATE_CAP... are read from the environment).
bench: build-release bench-deps
	build/release/bench/hrs_store_bench --responses 20000 --rounds 5 --dir build/bench-store
	bench/ingest/run.sh

# Report speed: the year's all-staff scorecard over HTTP next to sqlite3's GROUP BY on the
# same generated data (bench/report/run.sh; SIZES, ROUNDS, DATA_DIR... from the
# environment). The first run generates the stores (10 million responses take minutes).
bench-report: build-release bench-deps
	bench/report/run.sh

# The survey form page under load: GET /s/{token} then POST the form, each with a fresh
# invitation, next to nginx serving the same page as a static file and `return 303`, in the
# same run (bench/form/run.sh; ROUNDS, DURATION, USERS, RATE_CAP... from the environment).
bench-form: deps bench-deps
	cmake --preset release >/dev/null
	cmake --build --preset release --target hrsurvey hrs_make_invitations
	bench/form/run.sh

# Mixed traffic for 10 minutes against the release build, sampling RSS and open fds;
# fails if memory keeps growing (bench/soak/run.sh; DURATION, WORKERS, SAMPLE... from the
# environment).
bench-soak: build-release bench-deps
	bench/soak/run.sh

BENCH_APT_PACKAGES := wrk sqlite3 curl python3

# The load generator and the baseline server: nginx-light, unless some nginx is there.
bench-deps:
	@missing=$$(for p in $(BENCH_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	{ command -v nginx || [ -x /usr/sbin/nginx ]; } >/dev/null || missing="$$missing nginx-light"; \
	if [ -n "$$(echo $$missing)" ]; then \
	  echo "installing: $$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf build node_modules
