# Earpiece: `make run` and `make test` set up everything on a fresh Debian 12 machine (as root).

SHELL := /bin/bash
export PATH := /opt/swift/usr/bin:$(PATH)

# Debian packages the build and the tests need: libopus (decoding), webrtc-audio-processing (its VAD),
# libsqlite3 (the metadata database), pkg-config, and opus-tools and sox for the tests that check our Ogg
# output against the reference tools.
APT_PACKAGES := libopus-dev libwebrtc-audio-processing-dev libsqlite3-dev pkg-config opus-tools sox
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
DATA_DIR ?= ./data

.PHONY: all deps build run test bench fixtures clean

all: build

# Installs only what is missing, and updates apt's lists only then.
deps:
	@missing=""; \
	for pkg in $(APT_PACKAGES); do dpkg -s "$$pkg" >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@command -v swift >/dev/null || { echo "swift is not on PATH (expected Swift 6.1 or later at /opt/swift)"; exit 1; }

build: deps
	swift build

# Starts the gateway on its embedded defaults and prints its URL and a dev token; Ctrl-C stops it.
run: build
	.build/debug/earpiece serve --data-dir $(DATA_DIR) --print-dev-token

test: deps
	swift build --build-tests
	swift test --skip-build

bench: deps
	cd Benchmarks && swift package --allow-writing-to-package-directory benchmark

fixtures:
	Fixtures/make-fixtures.sh

clean:
	rm -rf .build Benchmarks/.build
