#!/usr/bin/env bash
# Synthesise the Earpiece test calls from the dialogue scripts in scripts/*.txt.
#
#   ./make-fixtures.sh              (from any directory) builds every call
#   ./make-fixtures.sh NAME ...     builds only the named calls (e.g. renewal-call)
#
# Writes calls/<name>.opus, calls/<name>.json (timeline), calls/<name>-noise20.opus (the same call
# with pink noise at 20 dB SNR; it shares <name>.json), calls/noise20.json (the measured noise
# levels) and calls/{pricing,monologue}-call.webm.
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
    for p in flite sox opus-tools ffmpeg python3 python3-numpy; do
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

    add_noise "$name" "$channels"
}

# The noise code: python3 with numpy. Modes:
#   gains  TIMELINE CLEAN_0 [CLEAN_1] -- NOISE_0 [NOISE_1]
#       prints, per channel, the gain that puts the noise track SNR_DB below that channel's
#       speech RMS (measured over the timeline's utterance spans on that channel)
#   measure TIMELINE LEVELS_JSON CLEAN_0 [CLEAN_1] -- NOISY_0 [NOISY_1] -- CLEAN_DEC NOISY_DEC
#       measures the SNR that was reached, before encoding (exactly: noisy - clean is the noise)
#       and after decoding both Opus files; merges the figures into LEVELS_JSON
NOISE_PY='
import json, sys
import numpy as np

SNR_DB = 20.0
MARGIN_S = 0.02          # kept clear of speech when measuring decoded noise in the pauses

def read_wav(path):
    """16-bit PCM WAV -> (rate, int64 array [frames, channels]); sox and opusdec write plain PCM."""
    data = open(path, "rb").read()
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        sys.exit(f"{path}: not a WAV file")
    pos, fmt, pcm = 12, None, None
    while pos + 8 <= len(data):
        cid, size = data[pos:pos + 4], int.from_bytes(data[pos + 4:pos + 8], "little")
        body = data[pos + 8:pos + 8 + size]
        if cid == b"fmt ":
            fmt = body
        elif cid == b"data":
            pcm = body
        pos += 8 + size + (size & 1)
    channels = int.from_bytes(fmt[2:4], "little")
    rate = int.from_bytes(fmt[4:8], "little")
    bits = int.from_bytes(fmt[14:16], "little")
    if bits != 16:
        sys.exit(f"{path}: expected 16-bit samples, got {bits}")
    a = np.frombuffer(pcm[:len(pcm) // (2 * channels) * 2 * channels], dtype="<i2").astype(np.int64)
    return rate, a.reshape(-1, channels)

def spans(timeline, channel, rate, n):
    """Boolean mask of the samples inside this channel speaker utterances (all of them in mono)."""
    mask = np.zeros(n, dtype=bool)
    for u in timeline["utterances"]:
        if timeline["channels"] == 1 or timeline["speakers"][u["speaker"]]["channel"] == channel:
            mask[round(u["start_s"] * rate):round(u["end_s"] * rate)] = True
    return mask

def anyone(timeline, rate, n):
    mask = np.zeros(n, dtype=bool)
    m = round(MARGIN_S * rate)
    for u in timeline["utterances"]:
        mask[max(0, round(u["start_s"] * rate) - m):round(u["end_s"] * rate) + m] = True
    return mask

def rms(x):
    x = x.astype(np.int64)
    return float(np.sqrt(int(np.dot(x, x)) / len(x))) if len(x) else 0.0

def db(x):
    return 20 * np.log10(x)

def split(args):
    groups, cur = [], []
    for a in args:
        if a == "--":
            groups.append(cur); cur = []
        else:
            cur.append(a)
    return groups + [cur]

mode, timeline_path = sys.argv[1], sys.argv[2]
timeline = json.load(open(timeline_path, encoding="utf-8"))
if mode == "gains":
    clean, noise = split(sys.argv[3:])
    for ch, (c, z) in enumerate(zip(clean, noise)):
        rate, x = read_wav(c)
        _, y = read_wav(z)
        speech = rms(x[:, 0][spans(timeline, ch, rate, len(x))])
        print(f"{speech / rms(y[:, 0]) / 10 ** (SNR_DB / 20):.6f}")
elif mode == "measure":
    levels_path = sys.argv[3]
    clean, noisy, (clean_dec, noisy_dec) = split(sys.argv[4:])
    rate, cd = read_wav(clean_dec)
    _, nd = read_wav(noisy_dec)
    entry = []
    for ch, (c, z) in enumerate(zip(clean, noisy)):
        _, x = read_wav(c)
        _, y = read_wav(z)
        x, y = x[:, 0], y[:, 0]
        mask = spans(timeline, ch, rate, len(x))
        speech, noise = rms(x[mask]), rms(y - x)
        n = min(len(cd), len(nd))
        pauses = ~anyone(timeline, rate, n)
        speech_dec, noise_dec = rms(cd[:n, ch][mask[:n]]), rms(nd[:n, ch][pauses])
        full = 32768.0
        entry.append({
            "channel": ch,
            "speaker": "both" if timeline["channels"] == 1 else ["rep", "customer"][ch],
            "speech_rms_dbfs": round(db(speech / full), 2),
            "noise_rms_dbfs": round(db(noise / full), 2),
            "snr_db": round(db(speech / noise), 2),
            "decoded_snr_db": round(db(speech_dec / noise_dec), 2),
        })
    try:
        levels = json.load(open(levels_path, encoding="utf-8"))
    except FileNotFoundError:
        levels = {}
    levels[timeline["call"]] = entry
    with open(levels_path, "w", encoding="utf-8") as f:
        f.write("{\n" + ",\n".join(
            f" {json.dumps(k)}: [\n" + ",\n".join("  " + json.dumps(e) for e in v) + "\n ]"
            for k, v in sorted(levels.items())) + "\n}\n")
    call = timeline["call"]
    for e in entry:
        print("   %s ch%d (%s): SNR %.2f dB, after Opus %.2f dB"
              % (call, e["channel"], e["speaker"], e["snr_db"], e["decoded_snr_db"]), file=sys.stderr)
'

# add_noise NAME CHANNELS
#   calls/NAME-noise20.opus: the call with independent pink noise in each channel at 20 dB below
#   that channel's speech RMS, encoded like the clean call; the timeline stays calls/NAME.json
add_noise() {
    local name="$1" channels="$2" work="$TMP/$1" total ch
    total="$(awk '$1 == "total" {print $2}' "$work/plan")"
    local clean=() noise=() noisy=() gains=()
    if ((channels == 2)); then clean=("$work/rep.wav" "$work/customer.wav"); else clean=("$work/call.wav"); fi
    # one run of pink noise, cut into one independent piece per channel (sox -R: fixed seed)
    "${SOX[@]}" -n -r "$RATE" -c 1 -b 16 "$work/noise.wav" synth "$((total * channels))s" pinknoise
    for ((ch = 0; ch < channels; ch++)); do
        "${SOX[@]}" "$work/noise.wav" "$work/noise$ch.wav" trim "$((total * ch))s" "${total}s"
        noise+=("$work/noise$ch.wav")
    done
    mapfile -t gains < <(python3 -c "$NOISE_PY" gains "$OUT/$name.json" "${clean[@]}" -- "${noise[@]}")
    for ((ch = 0; ch < channels; ch++)); do
        "${SOX[@]}" -m -v 1 "${clean[$ch]}" -v "${gains[$ch]}" "${noise[$ch]}" "$work/noisy$ch.wav"
        noisy+=("$work/noisy$ch.wav")
    done
    if ((channels == 2)); then
        "${SOX[@]}" -M "${noisy[@]}" "$work/call-noise20.wav"
    else
        cp "${noisy[0]}" "$work/call-noise20.wav"
    fi
    opusenc --quiet --bitrate 32 --framesize 20 --serial 1 --padding 0 \
        --title "$name-noise20" --artist "Earpiece test fixture (synthetic, flite, pink noise)" \
        "$work/call-noise20.wav" "$OUT/$name-noise20.opus"
    opusdec --quiet --no-dither --rate "$RATE" "$OUT/$name.opus" "$work/clean.dec.wav"
    opusdec --quiet --no-dither --rate "$RATE" "$OUT/$name-noise20.opus" "$work/noisy.dec.wav"
    python3 -c "$NOISE_PY" measure "$OUT/$name.json" "$OUT/noise20.json" "${clean[@]}" -- "${noisy[@]}" -- \
        "$work/clean.dec.wav" "$work/noisy.dec.wav"
}

# name and channel count of every call; new calls are added at the end
CALLS=(pricing-call:2 monologue-call:2 mono-call:1 renewal-call:2 security-call:2 upgrade-call:2 mono-checkin-call:1 expansion-call:2 mono-followup-call:1
       onboarding-call:2 mono-kickoff-call:1)
if (($#)); then
    wanted=" $* "
else
    wanted=" ${CALLS[*]%%:*} "
    rm -f "$OUT/noise20.json"     # rebuilt from scratch below
fi
for entry in "${CALLS[@]}"; do
    [[ "$wanted" == *" ${entry%%:*} "* ]] && build_call "${entry%%:*}" "${entry##*:}"
    wanted="${wanted/ ${entry%%:*} / }"
done
[[ -z "${wanted// /}" ]] || { echo "unknown call(s):$wanted" >&2; exit 1; }

# Independent WebM containers of the same Opus packets (no re-encode), reproducible muxing.
for call in pricing-call monologue-call; do
    [[ -f "$OUT/$call.opus" ]] || continue
    ffmpeg -nostdin -loglevel error -y -fflags +bitexact -i "$OUT/$call.opus" \
        -map 0:a:0 -c copy -map_metadata -1 -flags:a +bitexact -fflags +bitexact \
        "$OUT/$call.webm"
done

echo "done:" >&2
(cd "$OUT" && ls -l) >&2
