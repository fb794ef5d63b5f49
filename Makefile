# plural — the README's two commands and a few helpers around meson.
#   make demo    install what is missing, build, run the demo
#   make check   install what is missing, build (normal and ASan+UBSan), run every test and the fuzzers (bounded)
BUILD     ?= build
ASAN      ?= build-asan
MESON_OPT ?= -Dwerror=true

.PHONY: all deps build build-asan check check-fast demo fuzz bench clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_OPT)

$(ASAN)/build.ninja:
	meson setup $(ASAN) $(MESON_OPT) -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug

build: deps $(BUILD)/build.ninja
	meson compile -C $(BUILD)

build-asan: deps $(ASAN)/build.ninja
	meson compile -C $(ASAN)

# Every test, in the normal build (plural-switchd's default datapath:
# the XDP fast path where it loads), then the switch, controller, slicer
# and fault suites again over the AF_PACKET datapath (PLURAL_DATAPATH sets
# --datapath's default), then under AddressSanitizer and
# UndefinedBehaviorSanitizer (except suite no-asan: tests too slow there),
# then every libFuzzer target for FUZZ_CI_SECONDS each.  All run even
# when one fails; the exit status is non-zero if any failed.
FUZZ_CI_SECONDS ?= 40
check: build build-asan
	@rc=0; \
	meson test -C $(BUILD) --print-errorlogs --num-processes 2 || rc=1; \
	echo "make check: the data-plane suites again with --datapath afpacket"; \
	PLURAL_DATAPATH=afpacket meson test -C $(BUILD) --print-errorlogs --num-processes 2 \
	  --suite switch --suite ctl --suite slice --suite trust --no-suite fastpath || rc=1; \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  meson test -C $(ASAN) --print-errorlogs --num-processes 2 --no-suite no-asan || rc=1; \
	FUZZ_SECONDS=$(FUZZ_CI_SECONDS) scripts/fuzz || rc=1; \
	if [ $$rc -ne 0 ]; then echo "make check: FAILED (see the logs above)"; else echo "make check: all passed"; fi; \
	exit $$rc

check-fast: build
	meson test -C $(BUILD) --print-errorlogs --suite unit

demo: build
	scripts/demo

fuzz: deps
	scripts/fuzz

clean:
	rm -rf $(BUILD) $(ASAN) build-fuzz
