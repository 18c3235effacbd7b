#!/usr/bin/env python3
"""Speaks corpus sentences with flite and decodes them with `earpiece transcribe`, writing what the recognizer heard.

Sentences are spoken in batches (one voice per batch, 1.5 s of silence between sentences) so each recognizer
start-up serves many; the recognizer's utterances are matched back to sentences by time. Seeded: the same
corpus and seed pick the same sentences and voices (the recognizer itself is deterministic for the same audio).
Writes corpus-noisy.tsv (from a sample of corpus-clean.tsv) and test-noisy.tsv (from all of test-handwritten.tsv).
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
VOICES = ["rms", "slt", "kal16", "awb"]
GAP_S = 1.5
BATCH = 12


def read(path):
    rows = []
    for line in path.read_text().splitlines():
        if line and not line.startswith("#"):
            parts = line.split("\t")
            rows.append((parts[0], parts[1], parts[2] if len(parts) > 2 else "handwritten"))
    return rows


def synthesise(text, voice, path):
    subprocess.run(["flite", "-voice", voice, "-t", text, "-o", str(path)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def utterance_span(obj):
    """(start_ms, end_ms) of a transcribed utterance, from whichever time fields the JSON carries."""
    for a, b in (("start_ms", "end_ms"), ("startMs", "endMs"), ("start", "end")):
        if a in obj and b in obj:
            return float(obj[a]), float(obj[b])
    words = obj.get("words") or []
    times = [(w.get("start_ms", w.get("startMs")), w.get("end_ms", w.get("endMs"))) for w in words
             if isinstance(w, dict)]
    times = [(s, e) for s, e in times if s is not None and e is not None]
    if times:
        return float(times[0][0]), float(times[-1][1])
    return None


def run_batch(job):
    voice, items, workdir = job
    spans, frames, params = [], [], None
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        position = 0
        for index, (_, text, _) in enumerate(items):
            path = Path(tmp) / f"{index}.wav"
            synthesise(text, voice, path)
            with wave.open(str(path)) as w:
                if params is None:
                    params = w.getparams()
                    gap = b"\0" * int(GAP_S * params.framerate) * params.sampwidth * params.nchannels
                    frames.append(gap)
                    position = int(GAP_S * params.framerate)
                data = w.readframes(w.getnframes())
                n = w.getnframes()
            rate = params.framerate
            spans.append((position * 1000 / rate, (position + n) * 1000 / rate))
            frames.append(data)
            frames.append(gap)
            position += n + int(GAP_S * rate)
        joined = Path(tmp) / "batch.wav"
        with wave.open(str(joined), "wb") as w:
            w.setparams(params)
            w.writeframes(b"".join(frames))
        result = subprocess.run([os.environ.get("EARPIECE", ".build/debug/earpiece"), "transcribe", str(joined),
                                 "--json"], capture_output=True, text=True)
    if result.returncode != 0:
        print(f"transcribe failed ({voice}): {result.stderr.strip()[:300]}", file=sys.stderr)
        return []
    utterances = []
    for line in result.stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                utterances.append(json.loads(line))
            except json.JSONDecodeError:
                pass
    heard = [[] for _ in items]
    timed = [utterance_span(u) for u in utterances]
    if all(t is not None for t in timed):
        for u, (start, end) in zip(utterances, timed):
            overlaps = [max(0.0, min(end, b) - max(start, a)) for a, b in spans]
            best = max(range(len(spans)), key=lambda i: overlaps[i])
            if overlaps[best] > 0:
                heard[best].append(u.get("text", ""))
    elif len(utterances) == len(items):
        for i, u in enumerate(utterances):
            heard[i].append(u.get("text", ""))
    else:
        print(f"batch of {len(items)} gave {len(utterances)} untimed utterances: skipped", file=sys.stderr)
        return []
    rows = []
    for (label, _, source), parts in zip(items, heard):
        text = " ".join(" ".join(parts).split())
        rows.append((label, text, f"noisy:{voice}:{source}"))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--per-intent", type=int, default=50)
    ap.add_argument("--none", type=int, default=160)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    rng = random.Random(args.seed)

    clean = read(HERE / "corpus-clean.tsv")
    by_label = {}
    for row in clean:
        by_label.setdefault(row[0], []).append(row)
    sample = []
    for label in sorted(by_label):
        rows = by_label[label]
        sample += rng.sample(rows, min(len(rows), args.none if label == "none" else args.per_intent))
    test = read(HERE / "test-handwritten.tsv")

    jobs = []
    with tempfile.TemporaryDirectory() as workdir:
        for kind, rows in (("train", sample), ("test", test)):
            assigned = {v: [] for v in VOICES}
            for row in rows:
                assigned[rng.choice(VOICES)].append(row)
            for voice in VOICES:
                items = assigned[voice]
                for start in range(0, len(items), BATCH):
                    jobs.append((kind, (voice, items[start:start + BATCH], workdir)))
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            results = list(pool.map(lambda job: (job[0], run_batch(job[1])), jobs))

    outputs = {"train": [], "test": []}
    for kind, rows in results:
        outputs[kind] += rows
    header = "# label\ttext\tsource (generated by noisy.py: flite speech decoded by earpiece transcribe; do not edit)\n"
    for kind, name in (("train", "corpus-noisy.tsv"), ("test", "test-noisy.tsv")):
        kept = [r for r in outputs[kind] if r[1]]
        with open(HERE / name, "w") as f:
            f.write(header)
            for row in kept:
                f.write("\t".join(row) + "\n")
        print(f"{name}: {len(kept)} utterances ({len(outputs[kind]) - len(kept)} heard as silence)", file=sys.stderr)


if __name__ == "__main__":
    main()
