#!/usr/bin/env bash
# Synthesise the Earpiece test calls from the dialogue scripts in scripts/*.txt.
#
#   ./make-fixtures.sh          (from any directory)
#
# Writes calls/<name>.opus, calls/<name>.json (timeline), and calls/{pricing,monologue}-call.webm.
# Deterministic: running it twice on the same machine gives byte-identical outputs.
# See README.md for the details.
set -euo pipefail
export LC_ALL=C

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SCRIPTS="$HERE/scripts"
OUT="$HERE/calls"
RATE=48000

# voice per speaker (rep = flite rms, customer = flite slt)
declare -A VOICE=([rep]=rms [customer]=slt)

ensure_tools() {
    local missing=() p
    for p in flite sox opus-tools ffmpeg python3; do
        # dpkg -s alone also succeeds for removed-but-not-purged packages; check the status
        [[ "$(dpkg -s "$p" 2>/dev/null || true)" == *$'\nStatus: install ok installed'* ]] || missing+=("$p")
    done
    if ((${#missing[@]})); then
        echo "installing: ${missing[*]}" >&2
        local sudo=""
        [[ $(id -u) -eq 0 ]] || sudo="sudo"
        $sudo apt-get update
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y "${missing[@]}"
    fi
}

ensure_tools

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"

# sox options: -D no dither, -R repeatable (fixed seeds) -> deterministic output
SOX=(sox -D -R -V1)

# build_call NAME CHANNELS
#   CHANNELS=2: rep on channel 0 (left), customer on channel 1 (right)
#   CHANNELS=1: both speakers mixed into one channel
build_call() {
    local name="$1" channels="$2"
    local script="$SCRIPTS/$name.txt"
    local work="$TMP/$name"
    mkdir -p "$work"
    echo "== $name" >&2

    # 1. one 48 kHz mono WAV per utterance, edge silence trimmed, peak-normalised to -3 dBFS
    local manifest="$work/manifest.tsv" i=0 speaker gap text intent voice
    : >"$manifest"
    while IFS='|' read -r speaker gap text intent || [[ -n "$speaker" ]]; do
        [[ -z "${speaker// /}" || "$speaker" == \#* ]] && continue
        intent="${intent%$'\r'}"
        voice="${VOICE[$speaker]:?unknown speaker '$speaker' in $script}"
        i=$((i + 1))
        flite -voice "$voice" -t "$text" -o "$work/u$i.16k.wav"
        "${SOX[@]}" "$work/u$i.16k.wav" -b 16 "$work/u$i.wav" \
            silence 1 0.01 -45d reverse silence 1 0.01 -45d reverse \
            norm -3 rate -v "$RATE"
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "$speaker" "$gap" \
            "$(soxi -s "$work/u$i.wav")" "$text" "$intent" >>"$manifest"
    done <"$script"

    # 2. place utterances on the timeline (sample-exact), write the JSON and a sox plan:
    #    "speaker file lead_silence_samples" lines in order, then "total N"
    python3 - "$name" "$channels" "$RATE" "$manifest" "$OUT/$name.json" "$work/plan" <<'PY'
import json, sys
name, channels, rate, manifest, json_out, plan_out = sys.argv[1:]
channels, rate = int(channels), int(rate)
voices = {"rep": "rms", "customer": "slt"}
INTENTS = {"pricing_objection", "competitor_mention", "timing_objection", "authority_objection",
           "security_concern", "buying_signal", "churn_risk", "next_step"}
TAIL_S = 0.6                      # silence after the last utterance

utts, plan, prev_end, last_end = [], [], 0, {}
for line in open(manifest, encoding="utf-8"):
    idx, speaker, gap, samples, text, intent = line.rstrip("\n").split("\t")
    if intent and intent not in INTENTS:
        sys.exit(f"{name}: utterance {idx} has unknown intent {intent!r}")
    start = prev_end + round(float(gap) * rate)
    if start < last_end.get(speaker, 0):
        sys.exit(f"{name}: utterance {idx} overlaps the same speaker's previous one")
    if start < 0:
        sys.exit(f"{name}: utterance {idx} starts before zero")
    end = start + int(samples)
    plan.append(f"{speaker} u{idx}.wav {start - last_end.get(speaker, 0)}")
    last_end[speaker] = end
    prev_end = max(prev_end, end)
    utts.append(dict(speaker=speaker, start=start, end=end, text=text, intent=intent or None))
total = prev_end + round(TAIL_S * rate)
plan.append(f"total {total}")
plan.extend(f"end {s} {e}" for s, e in last_end.items())

def s(n):
    return round(n / rate, 3)

# windows: silences >= 3 s where neither side speaks, and single-speaker runs
# (monologues) >= 30 s whose internal pauses are all <= 1.5 s
windows, t = [], 0
for u in sorted(utts, key=lambda u: u["start"]):
    if u["start"] - t >= 3 * rate:
        windows.append(dict(kind="silence", start_s=s(t), end_s=s(u["start"])))
    t = max(t, u["end"])
if total - t >= 3 * rate:
    windows.append(dict(kind="silence", start_s=s(t), end_s=s(total)))
run = []
def flush():
    if run and run[-1]["end"] - run[0]["start"] >= 30 * rate:
        pauses = [b["start"] - a["end"] for a, b in zip(run, run[1:])]
        windows.append(dict(kind="monologue", speaker=run[0]["speaker"],
                            start_s=s(run[0]["start"]), end_s=s(run[-1]["end"]),
                            max_pause_s=s(max(pauses, default=0))))
for u in utts:
    if run and (u["speaker"] != run[-1]["speaker"] or u["start"] - run[-1]["end"] > 1.5 * rate):
        flush(); run = []
    run.append(u)
flush()
windows.sort(key=lambda w: w["start_s"])

doc = {
    "call": name,
    "channels": channels,
    "sample_rate": rate,
    "duration_s": s(total),
    "speakers": {sp: {"channel": (0 if channels == 1 else ch), "voice": voices[sp]}
                 for ch, sp in enumerate(["rep", "customer"])},
    "utterances": [dict(speaker=u["speaker"], start_s=s(u["start"]), end_s=s(u["end"]),
                        text=u["text"], intent=u["intent"]) for u in utts],
    "windows": windows,
}
# pretty-print with one utterance / window per line (easy to read and diff)
def dumps(v):
    return json.dumps(v, ensure_ascii=False)
lines = []
for k, v in doc.items():
    if isinstance(v, list):
        body = ",\n".join("  " + dumps(x) for x in v)
        lines.append(f" {dumps(k)}: [\n{body}\n ]" if v else f" {dumps(k)}: []")
    else:
        lines.append(f" {dumps(k)}: {dumps(v)}")
with open(json_out, "w", encoding="utf-8") as f:
    f.write("{\n" + ",\n".join(lines) + "\n}\n")
json.loads(open(json_out, encoding="utf-8").read())   # sanity: valid JSON
with open(plan_out, "w") as f:
    f.write("\n".join(plan) + "\n")
PY

    # 3. one full-length track per speaker: each utterance preceded by its lead silence,
    #    then padded at the end to the call's total length
    local total sp file lead e
    total="$(awk '$1 == "total" {print $2}' "$work/plan")"
    for sp in rep customer; do
        local parts=()
        while read -r _ file lead; do
            "${SOX[@]}" "$work/$file" "$work/p.$file" pad "${lead}s" 0
            parts+=("$work/p.$file")
        done < <(awk -v sp="$sp" '$1 == sp' "$work/plan")
        e="$(awk -v sp="$sp" '$1 == "end" && $2 == sp {print $3}' "$work/plan")"
        if ((${#parts[@]} == 1)); then
            "${SOX[@]}" "${parts[0]}" "$work/$sp.wav" pad 0 "$((total - e))s"
        else
            "${SOX[@]}" "${parts[@]}" "$work/$sp.wav" pad 0 "$((total - e))s"
        fi
        [[ "$(soxi -s "$work/$sp.wav")" == "$total" ]] || { echo "$name: $sp track length mismatch" >&2; exit 1; }
    done

    # 4. combine: stereo (rep left, customer right) or mono mix, 48 kHz 16-bit
    if ((channels == 2)); then
        "${SOX[@]}" -M "$work/rep.wav" "$work/customer.wav" "$work/call.wav"
    else
        "${SOX[@]}" -m -v 1 "$work/rep.wav" -v 1 "$work/customer.wav" "$work/call.wav"
    fi

    # 5. encode; fixed serial, no padding, no date -> reproducible
    opusenc --quiet --bitrate 32 --framesize 20 --serial 1 --padding 0 \
        --title "$name" --artist "Earpiece test fixture (synthetic, flite)" \
        "$work/call.wav" "$OUT/$name.opus"
}

build_call pricing-call 2
build_call monologue-call 2
build_call mono-call 1

# Independent WebM containers of the same Opus packets (no re-encode), reproducible muxing.
for call in pricing-call monologue-call; do
    ffmpeg -nostdin -loglevel error -y -fflags +bitexact -i "$OUT/$call.opus" \
        -map 0:a:0 -c copy -map_metadata -1 -flags:a +bitexact -fflags +bitexact \
        "$OUT/$call.webm"
done

echo "done:" >&2
(cd "$OUT" && ls -l) >&2
