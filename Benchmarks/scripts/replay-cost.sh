#!/usr/bin/env bash
# CPU per second of audio per speaker, and peak RSS, of `earpiece replay` in each tier (docs/performance.md).
# Run from the repository's root after `swift build -c release`:  Benchmarks/scripts/replay-cost.sh [CALL.opus]
set -euo pipefail

call=${1:-Fixtures/calls/pricing-call.opus}
binary=${EARPIECE:-.build/release/earpiece}
[ -x "$binary" ] || { echo "no $binary: run swift build -c release first" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }

# Duration and channels from the Ogg stream: the last page's granule position less the pre-skip, at 48 kHz.
read -r seconds channels < <(python3 - "$call" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
head = data.index(b"OpusHead")
channels, pre_skip = data[head + 9], struct.unpack_from("<H", data, head + 10)[0]
granule = struct.unpack_from("<q", data, data.rindex(b"OggS") + 6)[0]
print(f"{(granule - pre_skip) / 48000:.3f} {channels}")
PY
)

echo "uptime: $(uptime)"
echo "$call: $seconds s, $channels channel(s)"
printf '%-11s %8s %8s %8s %14s %12s\n' tier user_s sys_s wall_s cpu/s/speaker max_rss_MB
for tier in transcript keyphrase dynamics; do
    report=$(mktemp)
    /usr/bin/time -v "$binary" replay "$call" --tier "$tier" >/dev/null 2>"$report"
    user=$(awk -F': ' '/User time/ {print $2}' "$report")
    sys=$(awk -F': ' '/System time/ {print $2}' "$report")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$report")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$report")
    rm -f "$report"
    awk -v t="$tier" -v u="$user" -v s="$sys" -v w="$wall" -v r="$rss" -v d="$seconds" -v c="$channels" \
        'BEGIN { printf "%-11s %8.2f %8.2f %8s %14.4f %12.1f\n", t, u, s, w, (u + s) / d / c, r / 1024 }'
done
