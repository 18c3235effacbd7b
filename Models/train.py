#!/usr/bin/env python3
"""Trains the intent model from the committed corpus and writes the weights, test vectors and model card figures.

Deterministic: a fixed seed, single-threaded BLAS, no wall-clock input, so two runs write identical bytes.
Reads  Models/training/corpus-clean.tsv, corpus-noisy.tsv (optional), test-handwritten.tsv, test-noisy.tsv (optional).
Writes Models/intent-model.bin, Models/intent-model-vectors.json, Models/intent-model-metrics.json and the
generated section of Models/README.md. docs/intent-model.md describes the features and the file format.
"""
import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import hashlib  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import struct  # noqa: E402
import sys  # noqa: E402
import zlib  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

MODELS = Path(__file__).resolve().parent
TRAINING = MODELS / "training"
CLASSES = ["pricing_objection", "competitor_mention", "timing_objection", "authority_objection", "next_step",
           "buying_signal", "churn_risk", "security_concern", "none"]
NONE = CLASSES.index("none")
BUCKETS = 1 << 14      # hashed feature rows
HIDDEN = 96            # hidden units
WINDOW = 16            # words of the current utterance the model sees (the last ones)
HASH_SEED = 0x45415231 # mixed into every feature hash, so a retrained hashing scheme cannot be mistaken for this one
TRAIN_SEED = 1234
EPOCHS = 8
BATCH = 64
LEARNING_RATE = 0.004
DROPOUT = 0.1
VERSION = 2
MAGIC = b"EPINTENT"
START = b"<s>"

FNV_OFFSET, FNV_PRIME = 0x811C9DC5, 0x01000193
_FOLD = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")


def fnv(state, data):
    for byte in data:
        state = ((state ^ byte) * FNV_PRIME) & 0xFFFFFFFF
    return state


SEEDED = fnv(FNV_OFFSET, HASH_SEED.to_bytes(4, "little"))
START_STATE = fnv(SEEDED, START)
_word_state, _pair_bucket = {}, {}


def word_state(word):
    s = _word_state.get(word)
    if s is None:
        s = _word_state[word] = fnv(SEEDED, word.encode("utf-8").translate(_FOLD))
    return s


def pair_bucket(prev, word):
    """Bucket of "prev word" (prev None: the start marker "<s> word")."""
    key = (prev, word)
    b = _pair_bucket.get(key)
    if b is None:
        state = START_STATE if prev is None else word_state(prev)
        b = _pair_bucket[key] = fnv(state, b" " + word.encode("utf-8").translate(_FOLD)) & (BUCKETS - 1)
    return b


def features(words):
    """Feature buckets of a window: the start marker with its first word, every word, every adjacent pair."""
    w = words[-WINDOW:]
    if not w:
        return []
    ids = [pair_bucket(None, w[0])]
    ids += [word_state(x) & (BUCKETS - 1) for x in w]
    ids += [pair_bucket(w[i - 1], w[i]) for i in range(1, len(w))]
    return ids


# ---------------------------------------------------------------------------------------------------- data

def read_word_vectors():
    """word → its distilled vector (float32 of the float16 that ships), from word-vectors.py's two files."""
    words = (TRAINING / "word-vectors.txt").read_text().split("\n")[:-1]
    table = np.frombuffer((TRAINING / "word-vectors.f16").read_bytes(), "<f2").astype(np.float32)
    table = table.reshape(len(words), -1)
    return {w: table[i] for i, w in enumerate(words)}, table.shape[1]


WORD_VECTORS, DIMENSIONS = read_word_vectors()
SIF_A = 1e-3  # smooth inverse frequency: a word's vector is weighted a / (a + p(word)), p from the clean corpus


def weigh_word_vectors():
    """Scales each vector by a / (a + p), p the word's frequency in the clean corpus (0 if absent): words the
    corpus is full of ("the", "we", "budget") keep their hashed features and lose their vector, so the mean
    carries the rarer words, which is what the vectors are for; a word the corpus never held keeps it whole.
    The weighted vectors, rounded to float16, are what ships."""
    counts, total = {}, 0
    for line in (TRAINING / "corpus-clean.tsv").read_text().splitlines():
        if line and not line.startswith("#"):
            for word in line.split("\t")[1].split():
                counts[word] = counts.get(word, 0) + 1
                total += 1
    for word, vector in WORD_VECTORS.items():
        weight = SIF_A / (SIF_A + counts.get(word, 0) / max(total, 1))
        WORD_VECTORS[word] = (vector * weight).astype("<f2").astype(np.float32)


weigh_word_vectors()


def shipped_words():
    """The words whose vectors the weights file carries, keyed by their unigram hash state; a word whose state
    another word shares is left out (with both), so a key never names the wrong word."""
    by_key = {}
    for word in WORD_VECTORS:
        by_key.setdefault(word_state(word), []).append(word)
    return sorted((key, words[0]) for key, words in by_key.items() if len(words) == 1)


def mean_vector(words):
    """The mean of the window's known words' vectors (zero when it knows none): the model's dense input."""
    known = [WORD_VECTORS[w.lower()] for w in words[-WINDOW:] if w.lower() in SHIPPED]
    return np.mean(known, axis=0).astype(np.float32) if known else np.zeros(DIMENSIONS, np.float32)


def read_tsv(path):
    rows = []
    if not path.exists():
        return rows
    for line in path.read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        label, text = parts[0], parts[1]
        if label not in CLASSES:
            raise SystemExit(f"{path.name}: unknown label {label!r}")
        source = parts[2] if len(parts) > 2 else ""
        evidence = parts[3] if len(parts) > 3 else ""
        rows.append((label, text.split(), source, evidence))
    return rows


def is_validation(source):
    # Whole templates are held out, so thresholds are chosen on phrasings the model did not train on.
    # Recognizer-noisy rows are named "noisy:<voice>:<source>" and follow the template they were spoken from.
    source = source.split(":", 2)[2] if source.startswith("noisy:") else source
    return source.startswith("template:") and zlib.crc32(source.encode()) % 10 == 3


def windows_of(label, words, evidence):
    """(window words, class) for every prefix of an utterance, as partial hypotheses arrive word by word."""
    out = []
    cls = CLASSES.index(label)
    if label == "none" or not evidence:
        for n in range(1, len(words) + 1):
            out.append((words[max(0, n - WINDOW):n], cls if label == "none" or n == len(words) else None))
        return [(w, c) for w, c in out if c is not None]
    start, end = (int(x) for x in evidence.split(":"))
    for n in range(1, len(words) + 1):
        first = max(0, n - WINDOW)
        if n < end - 1:
            out.append((words[first:n], NONE))
        elif n >= end and start >= first:
            out.append((words[first:n], cls))
        # n == end - 1 (all but the last evidence word) and evidence that slid out are ambiguous: skipped.
    return out


# ---------------------------------------------------------------------------------------------------- model

SHIPPED = {word for _, word in shipped_words()}


class Model:
    def __init__(self, rng):
        self.E = np.zeros((BUCKETS, HIDDEN), np.float32)
        # Positive so every unit starts active: with a zero embedding, a zero bias would pass no gradient.
        self.b1 = np.full(HIDDEN, 0.1, np.float32)
        self.W2 = (rng.standard_normal((len(CLASSES), HIDDEN)) * np.sqrt(2.0 / HIDDEN)).astype(np.float32)
        self.b2 = np.zeros(len(CLASSES), np.float32)
        self.P = np.zeros((HIDDEN, DIMENSIONS), np.float32)

    def params(self):
        return [self.E, self.b1, self.W2, self.b2, self.P]

    def forward_batch(self, batch, dense=None):
        """batch: list of feature-id lists; dense: their windows' mean word vectors (rows), or None for zeros.
        Returns probabilities (float32, computed as the Swift side does)."""
        ids = np.fromiter((i for f in batch for i in f), np.int64)
        counts = np.array([len(f) for f in batch])
        offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
        S = np.zeros((len(batch), HIDDEN), np.float32)
        nonempty = counts > 0
        if ids.size:
            S[nonempty] = np.add.reduceat(self.E[ids], offsets[nonempty], axis=0)
        scale = np.where(counts > 0, 1.0 / np.sqrt(np.maximum(counts, 1)), 0.0).astype(np.float32)
        pre = S * scale[:, None] + self.b1
        if dense is not None:
            pre += dense @ self.P.T
        h = np.maximum(pre, 0)
        z = h @ self.W2.T + self.b2
        z = z - z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return (p / p.sum(axis=1, keepdims=True)).astype(np.float32), (ids, counts, offsets, scale, pre, h)


def train(model, examples, weights_by_class, rng):
    """Adam; embedding rows are updated lazily (only rows a batch touched), in a fixed order."""
    state = [(np.zeros_like(p), np.zeros_like(p)) for p in model.params()]
    steps = np.zeros(BUCKETS, np.int64)  # per-row step counts for the lazy embedding update
    t = 0
    b1c, b2c, eps = 0.9, 0.999, 1e-8
    order = np.arange(len(examples))
    for epoch in range(EPOCHS):
        rng.shuffle(order)
        total = 0.0
        for start in range(0, len(order), BATCH):
            idx = order[start:start + BATCH]
            batch = [examples[i][0] for i in idx]
            dense = np.stack([examples[i][3] for i in idx])
            y = np.array([examples[i][1] for i in idx])
            w = weights_by_class[y] * np.array([examples[i][2] for i in idx], np.float32)
            p, (ids, counts, offsets, scale, pre, h) = model.forward_batch(batch, dense)
            mask = (rng.random(h.shape) >= DROPOUT).astype(np.float32) / (1 - DROPOUT)
            hd = h * mask
            z = hd @ model.W2.T + model.b2
            z -= z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
            total += float(-(w * np.log(p[np.arange(len(y)), y] + 1e-9)).sum())
            dz = p.copy()
            dz[np.arange(len(y)), y] -= 1
            dz *= (w / w.sum())[:, None]
            gW2 = dz.T @ hd
            gb2 = dz.sum(0)
            dpre = (dz @ model.W2) * mask * (pre > 0)
            gb1 = dpre.sum(0)
            gP = dpre.T @ dense
            dS = dpre * scale[:, None]
            seg = np.repeat(np.arange(len(batch)), counts)
            rows, inverse = np.unique(ids, return_inverse=True)
            gE = np.zeros((len(rows), HIDDEN), np.float32)
            np.add.at(gE, inverse, dS[seg])
            t += 1
            lr = LEARNING_RATE
            for (m, v), param, grad in zip(state[1:], model.params()[1:], (gb1, gW2, gb2, gP)):
                m *= b1c; m += (1 - b1c) * grad
                v *= b2c; v += (1 - b2c) * grad * grad
                param -= (lr * (m / (1 - b1c ** t)) / (np.sqrt(v / (1 - b2c ** t)) + eps)).astype(np.float32)
            m, v = state[0]
            steps[rows] += 1
            st = steps[rows][:, None]
            m[rows] = b1c * m[rows] + (1 - b1c) * gE
            v[rows] = b2c * v[rows] + (1 - b2c) * gE * gE
            model.E[rows] -= (lr * (m[rows] / (1 - b1c ** st)) / (np.sqrt(v[rows] / (1 - b2c ** st)) + eps)).astype(np.float32)
        print(f"epoch {epoch + 1}: loss {total / len(order):.4f}", file=sys.stderr)


FILLERS = ["really", "just", "um", "uh", "like", "honestly", "actually", "kind", "of", "so", "the", "a"]


def augment(words, vocab, rng):
    """Recognizer-like damage and speech-like padding: dropped, substituted and inserted filler words, so the
    model leans on more than one cue."""
    out = []
    for word in words:
        r = rng.random()
        if r < 0.10:
            continue  # dropped
        if r < 0.20:
            out.append(vocab[rng.randrange(len(vocab))])  # misheard
            continue
        if r >= 0.95:
            out.append(FILLERS[rng.randrange(len(FILLERS))])  # padded
        out.append(word)
    return out or words


# ---------------------------------------------------------------------------------------------------- evaluation

def predict(probs, thresholds):
    best = probs.argmax(axis=1)
    best = np.where((best != NONE) & (probs[np.arange(len(best)), best] < thresholds[best]), NONE, best)
    return best


def prf(pred, gold):
    table = {}
    for c, name in enumerate(CLASSES[:-1]):
        tp = int(((pred == c) & (gold == c)).sum())
        fp = int(((pred == c) & (gold != c)).sum())
        fn = int(((pred != c) & (gold == c)).sum())
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        table[name] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "support": tp + fn}
    none_fp = int(((pred != NONE) & (gold == NONE)).sum())
    table["none"] = {"false_alarms": none_fp, "support": int((gold == NONE).sum())}
    return table


def streaming(model, rows, thresholds):
    """Each utterance fed word by word: an intent counts as predicted if any partial window fires it."""
    fired_sets, gold = [], []
    for label, words, _, _ in rows:
        prefixes = [words[max(0, n - WINDOW):n] for n in range(1, len(words) + 1)]
        probs, _ = model.forward_batch([features(w) for w in prefixes], np.stack([mean_vector(w) for w in prefixes]))
        fired_sets.append(set(int(c) for c in predict(probs, thresholds) if c != NONE))
        gold.append(CLASSES.index(label))
    table = {}
    for c, name in enumerate(CLASSES[:-1]):
        tp = sum(1 for f, g in zip(fired_sets, gold) if c in f and g == c)
        fp = sum(1 for f, g in zip(fired_sets, gold) if c in f and g != c)
        fn = sum(1 for f, g in zip(fired_sets, gold) if c not in f and g == c)
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        table[name] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f1, 3), "support": tp + fn}
    table["none"] = {"false_alarms": sum(1 for f, g in zip(fired_sets, gold) if f and g == NONE),
                     "support": sum(1 for g in gold if g == NONE)}
    return table


def final_window(model, rows, thresholds):
    probs, _ = model.forward_batch([features(words) for _, words, _, _ in rows],
                                   np.stack([mean_vector(words) for _, words, _, _ in rows]))
    gold = np.array([CLASSES.index(label) for label, _, _, _ in rows])
    return prf(predict(probs, thresholds), gold), probs, gold


def choose_thresholds(probs, gold):
    """Per intent: the middle of the range of thresholds with the best F1 on validation windows, within 0.35-0.8
    (higher ones trade too much recall on unseen phrasings for precision on the templates' own)."""
    thresholds = np.zeros(len(CLASSES), np.float32)
    best = probs.argmax(axis=1)
    grid = np.round(np.arange(0.35, 0.801, 0.05), 2)
    for c in range(len(CLASSES) - 1):
        scores = []
        for t in grid:
            pred = (best == c) & (probs[:, c] >= t)
            tp = int((pred & (gold == c)).sum()); fp = int((pred & (gold != c)).sum())
            fn = int((gold == c).sum()) - tp
            scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
        top = max(scores)
        ties = [t for t, s in zip(grid, scores) if s >= top - 0.002]
        thresholds[c] = float(np.round(np.median(ties) * 20) / 20)
    return thresholds


# ---------------------------------------------------------------------------------------------------- output

def to_half(a):
    return a.astype("<f2")


def write_weights(path, model, thresholds):
    header = MAGIC + struct.pack("<6I", VERSION, BUCKETS, HIDDEN, len(CLASSES), WINDOW, HASH_SEED)
    names = b"".join(bytes([len(n)]) + n.encode("ascii") for n in CLASSES)
    body = (header + names + to_half(model.E).tobytes() + model.b1.astype("<f4").tobytes()
            + model.W2.astype("<f4").tobytes() + model.b2.astype("<f4").tobytes()
            + thresholds.astype("<f4").tobytes())
    shipped = shipped_words()
    body += struct.pack("<2I", DIMENSIONS, len(shipped))
    body += np.array([key for key, _ in shipped], "<u4").tobytes()
    body += to_half(np.stack([WORD_VECTORS[word] for _, word in shipped])).tobytes()
    body += model.P.astype("<f4").tobytes()
    data = body + struct.pack("<I", zlib.crc32(body) & 0xFFFFFFFF)
    path.write_bytes(data)
    return data


def write_readme_section(figures):
    readme = MODELS / "README.md"
    begin, end = "<!-- BEGIN GENERATED BY train.py -->", "<!-- END GENERATED BY train.py -->"
    text = readme.read_text()
    if begin not in text:
        text = text.rstrip("\n") + "\n\n" + begin + "\n" + end + "\n"
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    readme.write_text(head + begin + "\n" + figures + end + tail)


def table_md(title, table):
    lines = [f"**{title}**", "", "| intent | precision | recall | F1 | support |", "|---|---:|---:|---:|---:|"]
    for name in CLASSES[:-1]:
        r = table[name]
        lines.append(f"| {name} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | {r['support']} |")
    lines.append(f"| none (false alarms / utterances) | | | | {table['none']['false_alarms']} / "
                 f"{table['none']['support']} |")
    return "\n".join(lines) + "\n\n"


def fit(rows):
    """A model trained on rows (their prefixes, and damaged copies of clean ones), from the fixed seed."""
    rng = random.Random(TRAIN_SEED)
    nrng = np.random.default_rng(TRAIN_SEED)
    vocab = sorted({w for _, words, _, _ in rows for w in words})
    examples = []
    for label, words, source, evidence in rows:
        noisy_row = source.startswith("noisy:")
        for window, cls in windows_of(label, words, "" if noisy_row else evidence):
            examples.append((features(window), cls, 1.0, mean_vector(window)))
            if not noisy_row and rng.random() < 0.5:
                damaged = augment(window, vocab, rng)
                if damaged != window:
                    examples.append((features(damaged), cls, 0.5, mean_vector(damaged)))
    counts = np.bincount([e[1] for e in examples], minlength=len(CLASSES)).astype(np.float64)
    # Inverse square-root frequency: the none class (every early prefix) would otherwise drown the intents.
    weights_by_class = (np.sqrt(counts.max() / np.maximum(counts, 1))).astype(np.float32)
    weights_by_class[NONE] *= 1.5  # false alarms cost more than a late hint
    print(f"{len(examples)} training windows; per class {counts.astype(int).tolist()}", file=sys.stderr)
    model = Model(nrng)
    train(model, examples, weights_by_class, nrng)
    # The shipped embedding is float16: evaluate (and write vectors for) exactly what ships.
    model.E = to_half(model.E).astype(np.float32)
    return model, counts


def main():
    clean = read_tsv(TRAINING / "corpus-clean.tsv")
    noisy = read_tsv(TRAINING / "corpus-noisy.tsv")
    test_clean = read_tsv(TRAINING / "test-handwritten.tsv")
    test_noisy = read_tsv(TRAINING / "test-noisy.tsv")
    if not clean or not test_clean:
        raise SystemExit("the corpus is missing: run Models/training/make-corpus.sh (make corpus)")

    train_rows = [r for r in clean if not is_validation(r[2])] + [r for r in noisy if not is_validation(r[2])]
    val_rows = [r for r in clean if is_validation(r[2])] + [r for r in noisy if is_validation(r[2])]

    # First pass without the held-out templates: its scores on them choose the thresholds, so the thresholds
    # reflect phrasings the model has not seen. The shipped model then trains on everything with the same settings.
    probe, _ = fit(train_rows)
    val_windows = [(w, c) for label, words, source, evidence in val_rows
                   for w, c in windows_of(label, words, "" if source.startswith("noisy:") else evidence)]
    vprobs, _ = probe.forward_batch([features(w) for w, _ in val_windows], np.stack([mean_vector(w) for w, _ in val_windows]))
    thresholds = choose_thresholds(vprobs, np.array([c for _, c in val_windows]))
    print("thresholds", dict(zip(CLASSES, thresholds.tolist())), file=sys.stderr)
    model, counts = fit(clean + noisy)

    data = write_weights(MODELS / "intent-model.bin", model, thresholds)
    sha = hashlib.sha256(data).hexdigest()

    metrics = {"weights_sha256": sha, "weights_bytes": len(data),
               "parameters": int(model.E.size + model.b1.size + model.W2.size + model.b2.size + model.P.size),
               "word_vectors": len(SHIPPED), "word_vector_dimensions": DIMENSIONS,
               "thresholds": dict(zip(CLASSES[:-1], [float(t) for t in thresholds[:-1]])),
               "corpus": {
                   "clean_utterances": {c: sum(1 for r in clean if r[0] == c) for c in CLASSES},
                   "noisy_utterances": {c: sum(1 for r in noisy if r[0] == c) for c in CLASSES},
                   "validation_utterances": len(val_rows),
                   "training_windows": dict(zip(CLASSES, counts.astype(int).tolist())),
                   "test_clean_utterances": len(test_clean), "test_noisy_utterances": len(test_noisy)},
               "test": {}}
    for name, rows in (("clean", test_clean), ("noisy", test_noisy)):
        if not rows:
            continue
        table, probs, gold = final_window(model, rows, thresholds)
        metrics["test"][f"{name}_final_window"] = table
        metrics["test"][f"{name}_streaming"] = streaming(model, rows, thresholds)
    (MODELS / "intent-model-metrics.json").write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n")

    vectors = []
    for text in VECTOR_INPUTS:
        words = text.split()
        probs, _ = model.forward_batch([features(words)], mean_vector(words)[None, :])
        vectors.append({"words": words, "probabilities": [round(float(x), 7) for x in probs[0]]})
    (MODELS / "intent-model-vectors.json").write_text(json.dumps(
        {"classes": CLASSES, "window": WINDOW, "weights_sha256": sha, "vectors": vectors}, indent=1) + "\n")

    figures = (f"Weights: `intent-model.bin`, {len(data):,} bytes, SHA-256 `{sha}`; "
               f"{metrics['parameters']:,} parameters.\n\n"
               "Thresholds (an intent fires when it is the top class and reaches its threshold): "
               + ", ".join(f"{c} {t:.2f}" for c, t in metrics["thresholds"].items()) + ".\n\n"
               "| class | clean utterances | noisy utterances | training windows |\n|---|---:|---:|---:|\n"
               + "".join(f"| {c} | {metrics['corpus']['clean_utterances'][c]} | "
                         f"{metrics['corpus']['noisy_utterances'][c]} | "
                         f"{metrics['corpus']['training_windows'][c]} |\n" for c in CLASSES) + "\n")
    titles = {"clean_final_window": "Held-out test, clean text, whole utterance",
              "clean_streaming": "Held-out test, clean text, streamed word by word (fires if any partial window fires)",
              "noisy_final_window": "Held-out test, recognizer output (flite speech decoded by `earpiece transcribe`), whole utterance",
              "noisy_streaming": "Held-out test, recognizer output, streamed word by word"}
    for key, table in metrics["test"].items():
        figures += table_md(titles[key], table)
    write_readme_section(figures)
    print(f"wrote intent-model.bin ({len(data)} bytes, sha256 {sha})", file=sys.stderr)
    for key, table in metrics["test"].items():
        print(key, {k: (v.get("precision"), v.get("recall")) if "precision" in v else v for k, v in table.items()},
              file=sys.stderr)


# Inputs of the agreement vectors the Swift tests replay: the intents' examples, pitch lines, edge cases.
VECTOR_INPUTS = [
    "",
    "that's too pricey for us",
    "we're evaluating acme as well",
    "call me back next quarter",
    "my boss decides on tools like this",
    "send over a proposal",
    "when could we go live",
    "we might not renew",
    "is our data encrypted",
    "annual billing brings the monthly cost down",
    "most customers see a return within the first quarter",
    "a lot of teams look at acme",
    "We're Evaluating ACME as well",
    "okay so one two three four five six seven eight nine ten eleven twelve thirteen fourteen honestly too expensive",
    "café naïve résumé",
]

if __name__ == "__main__":
    main()
