# plural — the README's two commands and a few helpers around meson.
#   make demo    install what is missing, build, run the demo
#   make check   install what is missing, build (normal and ASan+UBSan), run every test
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

# Every test, in the normal build, then under AddressSanitizer and
# UndefinedBehaviorSanitizer (except the suites that only time or need a peer).
check: build build-asan
	meson test -C $(BUILD) --print-errorlogs --num-processes 2
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  meson test -C $(ASAN) --print-errorlogs --num-processes 2 --no-suite no-asan

check-fast: build
	meson test -C $(BUILD) --print-errorlogs --suite unit

demo: build
	scripts/demo

fuzz: deps
	scripts/fuzz

clean:
	rm -rf $(BUILD) $(ASAN) build-fuzz
