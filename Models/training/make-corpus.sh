#!/usr/bin/env bash
# Rebuilds the training corpus: the templates expanded (clean), then a seeded sample of it and the whole
# hand-written test split spoken by flite and decoded by Earpiece's own recognizer (noisy).
# Needs flite and a built earpiece (EARPIECE, default .build/debug/earpiece). Takes a few minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
export EARPIECE="${EARPIECE:-.build/debug/earpiece}"
JOBS="${JOBS:-$(nproc 2>/dev/null || echo 2)}"

command -v flite >/dev/null || { echo "flite is missing: apt-get install flite" >&2; exit 1; }
[ -x "$EARPIECE" ] || { echo "no earpiece binary at $EARPIECE: run swift build (or set EARPIECE)" >&2; exit 1; }

python3 Models/training/generate.py
python3 Models/training/noisy.py --jobs "$JOBS"
