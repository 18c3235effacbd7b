#!/usr/bin/env python3
"""Chooses and tunes the default playbook's keyphrases on synthesised speech.

Steps (each a subcommand; `all` runs them in order):

  sample     seeded labelled set from Models/training as of commit BASE_REV: corpus-clean.tsv split by template (a quarter of the
             templates of every class held out), plus all of test-handwritten.tsv as a second held-out set
  synth      every sentence spoken by flite (rms or slt), joined into batch WAVs with 1.5 s of silence between
             sentences, so one recognizer start-up serves many sentences (hits are mapped back by time)
  candidates phrases mined from the tuning templates (word n-grams that are frequent in one intent and rare
             elsewhere) plus hand-written ones in how people say each intent; dictionary words only
  sweep      `earpiece transcribe --keyphrases` over the tuning batches at each threshold of a grid, one run per
             intent's candidates, so an intent's phrases never reset the search of another intent's
  select     per intent, greedy forward selection of (phrase, threshold) pairs on the tuning split: precision of
             the intent's union must stay at or above --min-precision, a phrase may not fire on any `none`
             sentence, and each step must add recall
  evaluate   the shipped configuration (all intents' phrases plus the competitor names, in one run, as a call
             gets them) before (BASE_REV's playbook) and after (the selection), on both held-out sets
  apply      writes the selection into Models/playbook.json's `phrases` arrays

Work files (audio, hits) go to --work (default /tmp/earpiece-keyphrases); results.json goes next to this file.
Reproduce: python3 Models/keyphrases/tune.py all   (about 45 minutes on 2 busy cores with a debug build;
            EARPIECE=path picks the binary)
"""
import argparse
import collections
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import wave
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
TRAINING = REPO / "Models" / "training"
PLAYBOOK = REPO / "Models" / "playbook.json"
DICT = Path("/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict")
INTENTS = ["pricing_objection", "competitor_mention", "timing_objection", "authority_objection",
           "next_step", "buying_signal", "churn_risk", "security_concern"]
VOICES = ["rms", "slt"]
GAP_S = 1.5
BATCH = 40
SEED = 20250611
GRID = [1e-40, 1e-30, 1e-20, 1e-15, 1e-10, 1e-5]
PER_INTENT = {"tune": 170, "test": 60}
PER_NONE = {"tune": 420, "test": 150}

# Phrases written by hand for how people say each intent, beside the mined ones. The sweep keeps only those
# that fire on this intent's sentences and never on `none`.
HAND = {
    "pricing_objection": [
        "too expensive", "too pricey", "over budget", "above our budget", "costs too much", "can't afford",
        "cheaper option", "out of our budget", "too steep", "a lot of money", "price is too high",
        "more than we can spend", "outside our budget", "pretty expensive", "way too much", "the price point",
        "hard to justify", "cheaper", "expensive", "discount", "afford", "budget", "the cost",
        "more than we pay", "our budget", "a bit steep",
    ],
    "competitor_mention": [
        "another vendor", "your competitor", "other providers", "we're evaluating", "already using",
        "currently using", "we use", "looking at", "comparing you", "other vendors", "another tool",
        "competitor", "a demo with", "talking to", "we're also talking to", "compared to",
    ],
    "timing_objection": [
        "next quarter", "call me back", "not right now", "maybe next year", "bad timing", "next year",
        "not a priority", "revisit this", "in a few months", "the timing", "not the right time", "too busy",
        "circle back", "later this year", "after the holidays", "next fiscal year", "reach out again",
        "hold off", "wait until", "down the road", "timing isn't great",
    ],
    "authority_objection": [
        "my boss", "my manager decides", "need approval", "run it by", "not my decision", "my manager",
        "sign off", "the decision", "decision maker", "check with", "talk to my", "procurement",
        "leadership", "the final say", "get approval", "our cfo", "my vp", "above my pay grade", "the ceo",
        "loop in", "the board",
    ],
    "next_step": [
        "send over a proposal", "book a demo", "schedule a call", "follow up", "next steps", "send me",
        "set up a call", "next week", "calendar invite", "put something on the calendar", "a proposal",
        "send over", "the next step", "set up a time", "a follow up", "send it over", "let's schedule",
    ],
    "buying_signal": [
        "go live", "how soon can we", "sign the contract", "get started", "onboard our team",
        "how long does it take", "roll it out", "how quickly", "the contract", "start using",
        "how many seats", "the paperwork", "ready to move forward", "move forward", "implementation",
        "up and running", "what would it take", "roll this out",
    ],
    "churn_risk": [
        "not renew", "cancel our", "switch providers", "not happy with", "looking at alternatives",
        "cancel", "cancel our subscription", "not renewing", "frustrated", "disappointed",
        "stopped using", "not using it", "switching", "the renewal", "end our contract", "moving away",
        "isn't working", "not worth it", "thinking about leaving",
    ],
    "security_concern": [
        "encrypted", "security review", "data protection", "compliance team", "data breach", "security",
        "compliance", "encryption", "soc two", "gdpr", "our data", "where the data", "personal data",
        "security questionnaire", "privacy", "stored", "hipaa", "penetration test", "audit",
    ],
}


# Mined n-grams that only the templates tie to one intent: in a real conversation they are everyday words
# ("we don't", "couple of", "not sure") and would fire on anything. Never selected.
GENERIC = {
    "we don't", "that much", "different", "we are also", "we're also", "why are you", "couple of",
    "a couple of", "not looking", "me follow", "work if we", "we get more", "not sure", "been more",
    "using it", "about where", "transcripts", "information", "do you support", "does it support", "more than",
    "is a lot", "needs to", "of sales", "of yours", "between", "towards", "are also", "after our", "until in",
    "again in", "does not", "we've got", "that's not", "that's too", "price to", "cost is", "chance we",
    "opening", "anymore", "get this", "we start", "when can", "go ahead", "available", "after this",
    "you up with", "up with a", "a time for", "a time to", "set up a", "schedule a", "you sign a", "the audio",
    "our transcripts", "it support", "the data", "stored", "against", "spending", "the difference",
}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def load_dict():
    words = set()
    with DICT.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            w = line.split(" ", 1)[0]
            words.add(re.sub(r"\(\d+\)$", "", w))
    return words


# The corpus and playbook these figures were made from; later commits may change the corpus, and "before" is
# the hand-written default playbook that shipped before tuning.
BASE_REV = "0104d71"


def git_text(rev, path):
    rel = Path(path).resolve().relative_to(REPO)
    return subprocess.run(["git", "-C", str(REPO), "show", f"{rev}:{rel}"], capture_output=True, text=True,
                          check=True).stdout


def read_tsv(path, rev=BASE_REV):
    rows = []
    for line in (git_text(rev, path) if rev else path.read_text()).splitlines():
        if line and not line.startswith("#"):
            p = line.split("\t")
            rows.append(p)
    return rows


def held_out(source):
    return zlib.crc32(source.encode()) % 4 == 0


def cmd_sample(a):
    rng = random.Random(SEED)
    corpus = read_tsv(TRAINING / "corpus-clean.tsv")
    by = collections.defaultdict(lambda: {"tune": [], "test": []})
    seen = set()
    for label, text, source, *_ in corpus:
        if text in seen:
            continue
        seen.add(text)
        by[label]["test" if held_out(source) else "tune"].append((text, source))
    rows = []
    for label in INTENTS + ["none"]:
        quota = PER_NONE if label == "none" else PER_INTENT
        for split in ("tune", "test"):
            pool = by[label][split]
            rng.shuffle(pool)
            for text, source in pool[:quota[split]]:
                rows.append({"split": split, "label": label, "text": text, "source": source})
    for label, text in ((r[0], r[1]) for r in read_tsv(TRAINING / "test-handwritten.tsv")):
        rows.append({"split": "handwritten", "label": label, "text": text, "source": "handwritten"})
    for i, r in enumerate(rows):
        r["id"] = i
        r["voice"] = VOICES[rng.randrange(len(VOICES))]
    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    (work / "set.json").write_text(json.dumps(rows))
    counts = collections.Counter((r["split"], r["label"]) for r in rows)
    log("sampled", len(rows), dict(sorted(counts.items())))


def synth_batch(job):
    name, items, work = job
    out = work / "audio" / f"{name}.wav"
    spans = []
    if out.exists() and (work / "audio" / f"{name}.json").exists():
        return name
    frames, position = [], int(0.5 * 16000)
    frames.append(b"\0\0" * position)
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        for r in items:
            p = Path(tmp) / "x.wav"
            subprocess.run(["flite", "-voice", r["voice"], "-t", r["text"], "-o", str(p)], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            with wave.open(str(p)) as w:
                assert w.getframerate() == 16000 and w.getnchannels() == 1 and w.getsampwidth() == 2
                data = w.readframes(w.getnframes())
            n = len(data) // 2
            spans.append({"id": r["id"], "start_ms": position / 16, "end_ms": (position + n) / 16})
            frames.append(data)
            gap = int(GAP_S * 16000)
            frames.append(b"\0\0" * gap)
            position += n + gap
    with wave.open(str(out), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"".join(frames))
    (work / "audio" / f"{name}.json").write_text(json.dumps(spans))
    return name


def batches(rows, split):
    items = [r for r in rows if r["split"] == split]
    items.sort(key=lambda r: (r["voice"], r["id"]))
    out = []
    for i in range(0, len(items), BATCH):
        out.append((f"{split}-{i // BATCH:03d}", items[i:i + BATCH]))
    return out


def cmd_synth(a):
    work = Path(a.work)
    (work / "audio").mkdir(parents=True, exist_ok=True)
    rows = json.loads((work / "set.json").read_text())
    jobs = []
    for split in ("tune", "test", "handwritten"):
        jobs += [(n, it, work) for n, it in batches(rows, split)]
    with ThreadPoolExecutor(a.jobs) as ex:
        for n in ex.map(synth_batch, jobs):
            pass
    log("synthesised", len(jobs), "batches")


def spot_batch(job):
    earpiece, wav, phrases_file = job
    res = subprocess.run([earpiece, "transcribe", str(wav), "--keyphrases", str(phrases_file), "--json"],
                         capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"{wav}: {res.stderr.strip()}")
    spans = json.loads(Path(str(wav)[:-4] + ".json").read_text())
    hits = []
    for line in res.stdout.splitlines():
        if not line.strip():
            continue
        h = json.loads(line)
        t = float(h["start_ms"])
        for s in spans:
            if s["start_ms"] - 0.75 * GAP_S * 1000 <= t < s["end_ms"] + 0.75 * GAP_S * 1000:
                hits.append((s["id"], h["phrase"]))
                break
    return hits


def spot(a, split, phrases, tag):
    """phrases: list of (text, threshold). Returns {utterance id: set of phrases hit}."""
    work = Path(a.work)
    pf = work / f"phrases-{tag}.txt"
    pf.write_text("".join(f"{t}|{th:.0e}\n" for t, th in phrases))
    rows = json.loads((work / "set.json").read_text())
    wavs = [work / "audio" / f"{n}.wav" for n, _ in batches(rows, split)]
    out = collections.defaultdict(set)
    with ThreadPoolExecutor(a.jobs) as ex:
        for hits in ex.map(spot_batch, [(a.earpiece, w, pf) for w in wavs]):
            for uid, p in hits:
                out[uid].add(p)
    return out


def ngrams(words, n):
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


def n_phones(phrase, pron):
    return sum(pron.get(w, 0) for w in phrase.split())


def cmd_candidates(a):
    """Copies the shipped candidates.json (the list the published sweep ran on) into the work folder, or with
    --remine mines a new list (which then needs a new sweep, and a new candidates.json to publish)."""
    shipped = HERE / "candidates.json"
    if shipped.exists() and not a.remine:
        Path(a.work).mkdir(parents=True, exist_ok=True)
        Path(a.work, "candidates.json").write_text(shipped.read_text())
        log("candidates from", shipped)
        return
    words = load_dict()
    pron = {}
    with DICT.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            p = line.split()
            if p and "(" not in p[0]:
                pron[p[0]] = len(p) - 1
    corpus = read_tsv(TRAINING / "corpus-clean.tsv")
    playbook = base_playbook()
    competitors = {c.lower() for c in playbook.get("competitors", [])}
    df = collections.defaultdict(collections.Counter)
    totals = collections.Counter()
    for label, text, source, *_ in corpus:
        if held_out(source):
            continue
        totals[label] += 1
        w = text.split()
        grams = set()
        for n in (1, 2, 3, 4):
            grams |= ngrams(w, n)
        for g in grams:
            df[g][label] += 1
    mined = {}
    for intent in INTENTS:
        scored = []
        for g, c in df.items():
            x = c[intent]
            if x < 0.02 * totals[intent]:
                continue
            if any(w not in words or w in competitors for w in g.split()):
                continue
            if n_phones(g, pron) < 6:        # short phrases false-alarm whatever the threshold
                continue
            other = sum(v for k, v in c.items() if k != intent)
            prec = x / (x + other)
            if prec < 0.9:
                continue
            scored.append((x / totals[intent], prec, g))
        # greedy cover over the intent's sentences, so the list is not thirty variants of one phrase
        sents = [set().union(*(ngrams(t.split(), n) for n in (1, 2, 3, 4)))
                 for l, t, s, *_ in corpus if l == intent and not held_out(s)]
        covered = [False] * len(sents)
        chosen = []
        pool = {g for _, _, g in scored}
        while pool and len(chosen) < a.mined:
            best, gain = None, 0
            for g in sorted(pool):
                k = sum(1 for i, s in enumerate(sents) if not covered[i] and g in s)
                if k > gain:
                    best, gain = g, k
            if best is None or gain < 3:
                break
            chosen.append(best)
            pool.discard(best)
            for i, s in enumerate(sents):
                if best in s:
                    covered[i] = True
        mined[intent] = chosen
    cands = {}
    owner = {}
    for intent in INTENTS:
        lst = []
        for g in HAND[intent] + mined[intent]:
            if g in lst or g in competitors:
                continue
            if any(w not in words for w in g.split()) or not 1 <= len(g.split()) <= 6:
                log("skip (dictionary)", intent, g)
                continue
            if g in owner:
                continue
            owner[g] = intent
            lst.append(g)
        cands[intent] = lst
    Path(a.work, "candidates.json").write_text(json.dumps(cands, indent=1))
    for i in INTENTS:
        log(i, len(cands[i]), cands[i])


def cmd_sweep(a):
    """One run per threshold of the grid, strictest first, with every intent's candidates at that threshold
    still in play: a run costs the same whatever the number of phrases (the VAD and the acoustic scoring
    dominate), and a hit resets the search for every phrase, as it does in a call. A phrase that fired on a
    `none` sentence, or mostly on other intents' sentences, at a stricter threshold would only fire more at a
    looser one: it leaves the sweep, so it cannot reset the search of the phrases still in play."""
    work = Path(a.work)
    cands = json.loads((work / "candidates.json").read_text())
    owner = {p: i for i, v in cands.items() for p in v}
    rows = json.loads((work / "set.json").read_text())
    labels = {r["id"]: r["label"] for r in rows if r["split"] == "tune"}
    live = sorted(owner)
    path = work / "sweep.json"
    sweep = json.loads(path.read_text()) if path.exists() else {}
    for th in sorted(GRID, reverse=True):
        key = f"{th:.0e}"
        if not (key in sweep and sweep[key]["phrases"] == live):
            hits = spot(a, "tune", [(p, th) for p in live], "sweep")
            sweep[key] = {"phrases": live, "hits": {str(k): sorted(v) for k, v in hits.items()}}
            path.write_text(json.dumps(sweep))
        per = collections.defaultdict(collections.Counter)
        for uid, ps in sweep[key]["hits"].items():
            for p in ps:
                per[p][labels[int(uid)] if labels[int(uid)] in ("none", owner[p]) else "other"] += 1
        out = {p for p, c in per.items()
               if c["none"] > 0 or c[owner[p]] < 0.8 * (c[owner[p]] + c["other"])}
        log("swept", key, len(live), "phrases,", sum(len(v) for v in sweep[key]["hits"].values()), "hits,",
            len(out), "leave:", sorted(out))
        live = [p for p in live if p not in out]


def prf(pred, labels, intent):
    tp = sum(1 for u in pred if labels[u] == intent)
    fp = len(pred) - tp
    pos = sum(1 for l in labels.values() if l == intent)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / pos if pos else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp,
            "support": pos}


def cmd_select(a):
    work = Path(a.work)
    rows = json.loads((work / "set.json").read_text())
    labels = {r["id"]: r["label"] for r in rows if r["split"] == "tune"}
    sweep = json.loads((work / "sweep.json").read_text())
    cands = json.loads((work / "candidates.json").read_text())
    selection = {}
    for intent in INTENTS:
        # hit sets per (phrase, threshold)
        table = {}
        for th in GRID:
            hits = sweep[f"{th:.0e}"]["hits"] if f"{th:.0e}" in sweep else {}
            for uid, ps in hits.items():
                for p in ps:
                    if p not in cands[intent]:
                        continue
                    table.setdefault((p, th), set()).add(int(uid))
        options = []
        for (p, th), us in table.items():
            if p in GENERIC:
                continue
            if any(labels[u] == "none" for u in us):
                continue
            tp = sum(1 for u in us if labels[u] == intent)
            if tp < 2 or tp / len(us) < a.min_precision:
                continue
            options.append((p, th, us))
        chosen, union = {}, set()
        while len(chosen) < 32:
            base = prf(union, labels, intent)
            best = None
            for p, th, us in options:
                if p in chosen:
                    continue
                new = union | us
                s = prf(new, labels, intent)
                if s["precision"] < a.min_precision or s["tp"] - base["tp"] < 2:
                    continue
                # most new true hits, then fewest new false ones, then the strictest threshold
                key = (s["f1"], -s["fp"], -th if False else th)
                if best is None or key > best[0]:
                    best = (key, p, th, new)
            if best is None:
                break
            _, p, th, union = best
            chosen[p] = th
        # tighten: the strictest threshold of each phrase that keeps the union's true hits
        for p in list(chosen):
            for th in sorted(GRID, reverse=True):
                if th <= chosen[p]:
                    break
                if (p, th) not in table:
                    continue
                new = set().union(*(table[(q, chosen[q] if q != p else th)] for q in chosen
                                    if (q, chosen[q] if q != p else th) in table))
                if prf(new, labels, intent)["tp"] >= prf(union, labels, intent)["tp"]:
                    chosen[p] = th
                    union = new
                    break
        selection[intent] = [{"text": p, "threshold": th} for p, th in chosen.items()]
        log(intent, prf(union, labels, intent), selection[intent])
    (work / "selection.json").write_text(json.dumps(selection, indent=1))


def base_playbook():
    return json.loads(git_text(BASE_REV, PLAYBOOK))


def playbook_phrases(pb):
    """(text, threshold, intent) for everything the keyphrase tier spots."""
    out = []
    for intent in INTENTS:
        for p in pb["intents"].get(intent, {}).get("phrases", []):
            out.append((p["text"], p.get("threshold", 1e-20), intent))
    for c in pb.get("competitors", []):
        out.append((c.lower(), 1e-20, "competitor_mention"))
    return out


def evaluate(a, phrases, tag):
    work = Path(a.work)
    rows = json.loads((work / "set.json").read_text())
    owner = {t: i for t, _, i in phrases}
    result = {}
    for split in ("test", "handwritten"):
        labels = {r["id"]: r["label"] for r in rows if r["split"] == split}
        hits = spot(a, split, [(t, th) for t, th, _ in phrases], f"eval-{tag}")
        per = {}
        for intent in INTENTS:
            pred = {u for u, ps in hits.items() if any(owner[p] == intent for p in ps)}
            per[intent] = prf(pred, labels, intent)
        nones = [u for u, l in labels.items() if l == "none"]
        per["none_false_alarms"] = {"utterances": len(nones), "with_a_hit": sum(1 for u in nones if hits.get(u))}
        tp = sum(per[i]["tp"] for i in INTENTS)
        fp = sum(per[i]["fp"] for i in INTENTS)
        pos = sum(per[i]["support"] for i in INTENTS)
        per["micro"] = {"precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
                        "recall": round(tp / pos, 3), "tp": tp, "fp": fp, "support": pos}
        phrase_hits = collections.defaultdict(lambda: {"tp": 0, "fp": 0, "fp_none": 0})
        for u, ps in hits.items():
            for p in ps:
                c = phrase_hits[p]
                if labels[u] == owner[p]:
                    c["tp"] += 1
                else:
                    c["fp"] += 1
                    c["fp_none"] += labels[u] == "none"
        per["phrase_hits"] = dict(sorted(phrase_hits.items(), key=lambda kv: (-kv[1]["tp"], kv[0])))
        result[split] = per
        log(tag, split, per["micro"], per["none_false_alarms"])
    return result


def cmd_evaluate(a):
    work = Path(a.work)
    selection = json.loads((work / "selection.json").read_text())
    before = playbook_phrases(base_playbook())
    after_pb = json.loads(PLAYBOOK.read_text())
    for intent in INTENTS:
        after_pb["intents"][intent]["phrases"] = selection[intent]
    after = playbook_phrases(after_pb)
    rows = json.loads((work / "set.json").read_text())
    counts = collections.Counter((r["split"], r["label"]) for r in rows)
    results = {
        "method": "see README.md; python3 Models/keyphrases/tune.py all",
        "seed": SEED, "voices": VOICES, "grid": GRID, "min_precision": a.min_precision,
        "set": {s: {l: counts[(s, l)] for l in INTENTS + ["none"]} for s in ("tune", "test", "handwritten")},
        "candidates": json.loads((work / "candidates.json").read_text()),
        "selection": selection,
        "before": evaluate(a, before, "before"),
        "after": evaluate(a, after, "after"),
    }
    (HERE / "results.json").write_text(json.dumps(results, indent=1) + "\n")


def fmt_th(th):
    return float(f"{th:.0e}")


def cmd_apply(a):
    work = Path(a.work)
    selection = json.loads((work / "selection.json").read_text())
    text = PLAYBOOK.read_text()
    pb = json.loads(text)
    for intent in INTENTS:
        pb["intents"][intent]["phrases"] = [{"text": p["text"], "threshold": fmt_th(p["threshold"])}
                                            for p in selection[intent]]
        pb["intents"][intent]["cooldown_s"] = 60
    # same layout as the hand-written file: one phrase per line
    out = json.dumps(pb, indent=2)
    out = re.sub(r'\{\s+"text": ("[^"]*"),\s+"threshold": ([^\s}]+)\s+\}', r'{"text": \1, "threshold": \2}', out)
    out = re.sub(r'\[\s+("[^"]*"(?:,\s+"[^"]*")*)\s+\]', lambda m: "[" + re.sub(r",\s+", ", ", m.group(1)) + "]",
                 out)
    out = re.sub(r'"budget": \{\s+"max_hints": (\d+),\s+"window_s": (\d+)\s+\}',
                 r'"budget": {"max_hints": \1, "window_s": \2}', out)
    out = re.sub(r"(\d)e-0(\d)", r"\1e-\2", out)
    PLAYBOOK.write_text(out + "\n")
    log("wrote", PLAYBOOK)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("step", choices=["sample", "synth", "candidates", "sweep", "select", "evaluate", "apply",
                                     "all"])
    ap.add_argument("--work", default="/tmp/earpiece-keyphrases")
    ap.add_argument("--earpiece", default=os.environ.get("EARPIECE", str(REPO / ".build/debug/earpiece")))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--min-precision", type=float, default=0.95)
    ap.add_argument("--remine", action="store_true", help="mine a new candidate list instead of candidates.json")
    ap.add_argument("--mined", type=int, default=14, help="mined candidates per intent, beside the hand-written")
    a = ap.parse_args()
    steps = {"sample": cmd_sample, "synth": cmd_synth, "candidates": cmd_candidates, "sweep": cmd_sweep,
             "select": cmd_select, "evaluate": cmd_evaluate, "apply": cmd_apply}
    for s in (["sample", "synth", "candidates", "sweep", "select", "apply", "evaluate"] if a.step == "all"
              else [a.step]):
        steps[s](a)


if __name__ == "__main__":
    main()
