#!/usr/bin/env python3
"""Builds the sales-call language model (an ARPA trigram) that the transcript tier's recognizer decodes with.

Text: every utterance of the training corpus (Models/training/corpus-clean.tsv, the templates expanded) and
every phrase and competitor name of the playbook. Never the hand-written test split or the fixture scripts:
the evaluation would then measure the model on its own text.

Smoothing: interpolated Kneser-Ney with one discount per order (D = n1 / (n1 + 2 n2)), written in ARPA's backoff
form. For an interpolated model the backoff weight of a context is exactly the mass its discounts freed, so
every seen n-gram stores its interpolated probability and every context its gamma. Unigrams interpolate with a
uniform floor so that no vocabulary word is impossible.

Vocabulary: the words of that text which the pronunciation dictionary knows; a sentence with another word is
skipped and counted (the recognizer could never output it). Output is a pure function of the inputs.
"""
import argparse
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODELS = HERE.parent
BOS, EOS = "<s>", "</s>"


def dictionary_words(path):
    words = set()
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            head = line.split(" ", 1)[0].strip()
            if not head:
                continue
            if head.endswith(")") and "(" in head:
                head = head[: head.index("(")]
            words.add(head)
    return words


def corpus_sentences(corpus, playbook):
    sentences = []
    with open(corpus, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 2 and fields[1].strip():
                sentences.append(fields[1].split())
    book = json.loads(Path(playbook).read_text())
    for play in book.get("intents", {}).values():
        for phrase in play.get("phrases", []):
            sentences.append(phrase["text"].lower().split())
    for name in book.get("competitors", []):
        sentences.append(name.lower().split())
    return sentences


def discount(counts):
    n1 = sum(1 for c in counts.values() if c == 1)
    n2 = sum(1 for c in counts.values() if c == 2)
    if n1 == 0:
        return 0.5
    return n1 / (n1 + 2 * n2) if n2 else 0.5


def build(sentences, vocabulary):
    tri = defaultdict(int)
    for words in sentences:
        padded = [BOS, BOS] + words + [EOS]
        for i in range(2, len(padded)):
            tri[(padded[i - 2], padded[i - 1], padded[i])] += 1
    # Bigram counts from sentence starts are real counts (<s> w); the others are continuation counts.
    bi_cont = defaultdict(int)
    for (u, v, w) in tri:
        if u == BOS and v == BOS:
            continue
        bi_cont[(v, w)] += 1
    for (u, v, w), c in tri.items():
        if u == BOS and v == BOS:
            bi_cont[(BOS, w)] += c
    uni_cont = defaultdict(int)
    for (v, w) in bi_cont:
        uni_cont[w] += 1
    # Trigrams with context (<s>, <s>) are the bigrams (<s>, w); drop them from the trigram table.
    tri = {k: c for k, c in tri.items() if not (k[0] == BOS and k[1] == BOS)}

    d3, d2 = discount(tri), discount(bi_cont)
    vocab = sorted(vocabulary | {EOS})
    total_uni = sum(uni_cont.values())
    floor = 1.0 / len(vocab)
    d1 = 0.5 if total_uni else 0.0
    types_uni = len(uni_cont)
    unigram = {}
    for w in vocab:
        seen = max(uni_cont.get(w, 0) - d1, 0) / total_uni if total_uni else 0
        unigram[w] = seen + (d1 * types_uni / total_uni) * floor

    def contexts(table):
        sums, types = defaultdict(int), defaultdict(int)
        for key, c in table.items():
            sums[key[:-1]] += c
            types[key[:-1]] += 1
        return sums, types

    bi_sum, bi_types = contexts(bi_cont)
    bigram = {}
    for (v, w), c in bi_cont.items():
        gamma = d2 * bi_types[(v,)] / bi_sum[(v,)]
        bigram[(v, w)] = max(c - d2, 0) / bi_sum[(v,)] + gamma * unigram[w]
    bi_backoff = {v: d2 * bi_types[(v,)] / bi_sum[(v,)] for (v,) in bi_sum}

    tri_sum, tri_types = contexts(tri)
    trigram = {}
    for (u, v, w), c in tri.items():
        gamma = d3 * tri_types[(u, v)] / tri_sum[(u, v)]
        lower = bigram.get((v, w)) or bi_backoff.get(v, 1.0) * unigram[w]
        trigram[(u, v, w)] = max(c - d3, 0) / tri_sum[(u, v)] + gamma * lower
    tri_backoff = {ctx: d3 * tri_types[ctx] / tri_sum[ctx] for ctx in tri_sum}
    return unigram, bigram, trigram, bi_backoff, tri_backoff


def write_arpa(path, unigram, bigram, trigram, bi_backoff, tri_backoff):
    def log(p):
        return f"{math.log10(p):.6f}" if p > 0 else "-99.000000"

    with open(path, "w", encoding="utf-8") as out:
        out.write("\\data\\\n")
        out.write(f"ngram 1={len(unigram) + 1}\n")
        out.write(f"ngram 2={len(bigram)}\n")
        out.write(f"ngram 3={len(trigram)}\n\n")
        out.write("\\1-grams:\n")
        out.write(f"-99.000000\t{BOS}\t{log(bi_backoff.get(BOS, 1.0))}\n")
        for w in sorted(unigram):
            backoff = bi_backoff.get(w)
            out.write(f"{log(unigram[w])}\t{w}" + (f"\t{log(backoff)}" if backoff else "") + "\n")
        out.write("\n\\2-grams:\n")
        for (v, w) in sorted(bigram):
            backoff = tri_backoff.get((v, w))
            out.write(f"{log(bigram[(v, w)])}\t{v} {w}" + (f"\t{log(backoff)}" if backoff else "") + "\n")
        out.write("\n\\3-grams:\n")
        for (u, v, w) in sorted(trigram):
            out.write(f"{log(trigram[(u, v, w)])}\t{u} {v} {w}\n")
        out.write("\n\\end\\\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(MODELS / "training" / "corpus-clean.tsv"))
    parser.add_argument("--playbook", default=str(MODELS / "playbook.json"))
    parser.add_argument("--dictionary", default="/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict")
    parser.add_argument("--output", default=str(HERE / "sales-calls.lm"))
    args = parser.parse_args()

    known = dictionary_words(args.dictionary)
    sentences, skipped = [], 0
    for words in corpus_sentences(args.corpus, args.playbook):
        if words and all(w in known for w in words):
            sentences.append(words)
        else:
            skipped += 1
    vocabulary = {w for words in sentences for w in words}
    tables = build(sentences, vocabulary)
    write_arpa(args.output, *tables)
    print(f"{args.output}: {len(sentences)} sentences ({skipped} skipped for unknown words), "
          f"{len(vocabulary)} words, {len(tables[1])} bigrams, {len(tables[2])} trigrams", file=sys.stderr)


if __name__ == "__main__":
    main()
