#!/usr/bin/env python3
"""Score Earpiece's content hints on the fixture calls against their timelines.

    Fixtures/evaluate.py [--noise] [--calls a,b] [--hint-policy default|unlimited] [--tier T] [--check]

For each fixture call this runs `earpiece replay --json FILE` (or reads a saved output with
--from-jsonl), keeps the `hint` messages whose kind is one of the eight intents, and matches them to the
timeline's intent utterances:

  - a hint matches an utterance of the same intent when its audio_time_ms lies in
    [utterance start, utterance end + 2.5 s], and, in a stereo call, its speaker is the utterance's
    speaker (mono hints have speaker "unknown" and may match either side);
  - each utterance and each hint is matched at most once (a maximum matching, preferring the
    utterances that count for recall).

Precision = matched hints / content hints. Recall depends on the hint policy the replay ran with:
  - unlimited (no cooldown, no budget): every intent utterance is expected;
  - default: only the utterances whose hint an oracle would be allowed to show are expected. The oracle
    hints each intent utterance at its end + 0.3 s, keeps a 60 s cooldown per kind, and shows at most 4
    hints in any 120 s, counting the dynamics hints the replay really emitted at their times.
Latency = hint audio_time_ms - utterance end, over matched pairs.

Only the Python standard library is used. See README.md ("Evaluating content hints").
"""
from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

INTENTS = ("pricing_objection", "competitor_mention", "timing_objection", "authority_objection",
           "next_step", "buying_signal", "churn_risk", "security_concern")
DYNAMICS_KINDS = ("long_silence", "rep_monologue", "talk_ratio_high", "overlap")
NOISE_SUFFIX = "-noise20"
HERE = Path(__file__).resolve().parent


# --------------------------------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class Utterance:
    index: int              # position in the timeline's utterance list
    speaker: str            # "rep" or "customer"
    start_ms: int
    end_ms: int
    intent: str | None
    text: str = ""


@dataclass(frozen=True)
class Hint:
    kind: str
    speaker: str
    audio_time_ms: int
    id: str = ""
    trigger: str = ""
    confidence: float | None = None
    line: int = 0           # line number in the replay output


@dataclass
class Timeline:
    call: str
    channels: int
    utterances: list[Utterance]


@dataclass
class ReplayOutput:
    content: list[Hint] = field(default_factory=list)
    dynamics: list[Hint] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)      # the call's figures cannot be trusted
    notes: list[str] = field(default_factory=list)       # worth knowing, not fatal


@dataclass(frozen=True)
class Policy:
    """The default hint policy the oracle simulates."""
    delay_ms: int = 300
    cooldown_ms: int = 60_000
    budget: int = 4
    budget_window_ms: int = 120_000
    # competitor_mention cools down per competitor named in the utterance (HintPolicy in the gateway)
    competitors: tuple[str, ...] = ()

    def cooldown_key(self, utterance: "Utterance") -> str:
        if utterance.intent == "competitor_mention":
            words = utterance.text.lower().split()
            for name in self.competitors:
                if name.lower() in words:
                    return f"{utterance.intent}/{name.lower()}"
        return utterance.intent or ""


class EvaluationError(Exception):
    """A problem with one call that is reported instead of a traceback."""


# --------------------------------------------------------------------------------------------------
# Reading


def load_competitors(path: Path) -> tuple[str, ...]:
    """The competitor names a playbook lists (each cools down on its own)."""
    try:
        names = json.loads(path.read_text()).get("competitors", [])
    except (OSError, ValueError, AttributeError) as problem:
        raise EvaluationError(f"cannot read the playbook {path}: {problem}") from None
    if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
        raise EvaluationError(f"{path}: competitors must be a list of names")
    return tuple(names)


def load_timeline(path: Path) -> Timeline:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        utterances = [
            Utterance(index=i, speaker=u["speaker"], start_ms=round(u["start_s"] * 1000),
                      end_ms=round(u["end_s"] * 1000), intent=u.get("intent"), text=u.get("text", ""))
            for i, u in enumerate(doc["utterances"])
        ]
        return Timeline(call=doc.get("call", path.stem), channels=int(doc["channels"]), utterances=utterances)
    except FileNotFoundError:
        raise EvaluationError(f"timeline {path} not found")
    except (ValueError, KeyError, TypeError) as e:
        raise EvaluationError(f"timeline {path} is not a valid timeline: {e!r}")


def parse_replay_output(text: str) -> ReplayOutput:
    """Splits `earpiece replay --json` output into content and dynamics hints; other types are ignored."""
    out = ReplayOutput()
    saw_closed = False
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        try:
            msg = json.loads(line)
        except ValueError as e:
            out.errors.append(f"line {n}: not JSON ({e.msg}): {_clip(line)}")
            continue
        if not isinstance(msg, dict) or not isinstance(msg.get("type"), str):
            out.errors.append(f"line {n}: not a JSON object with a string \"type\": {_clip(line)}")
            continue
        if msg["type"] == "closed":
            saw_closed = True
        if msg["type"] != "hint":
            continue
        kind, speaker, t = msg.get("kind"), msg.get("speaker"), msg.get("audio_time_ms")
        if (not isinstance(kind, str) or not isinstance(speaker, str)
                or not isinstance(t, (int, float)) or isinstance(t, bool)):
            out.errors.append(f"line {n}: hint without a string kind, string speaker and numeric audio_time_ms: "
                              f"{_clip(line)}")
            continue
        confidence = msg.get("confidence")
        hint = Hint(kind=kind, speaker=speaker, audio_time_ms=round(t), id=str(msg.get("id", "")),
                    trigger=str(msg.get("trigger", "")),
                    confidence=confidence if isinstance(confidence, (int, float)) else None, line=n)
        if kind in INTENTS:
            out.content.append(hint)
        elif kind in DYNAMICS_KINDS:
            out.dynamics.append(hint)
        else:
            out.notes.append(f"line {n}: hint of unknown kind {kind!r} ignored")
    if text.strip() and not saw_closed:
        out.notes.append("no \"closed\" message: the output may be cut short")
    return out


def _clip(s: str, n: int = 120) -> str:
    return s if len(s) <= n else s[:n] + "…"


# --------------------------------------------------------------------------------------------------
# Matching and the oracle


def speaker_matches(hint: Hint, utterance: Utterance, channels: int) -> bool:
    return channels == 1 or hint.speaker == utterance.speaker


def candidates(hint: Hint, utterances: list[Utterance], channels: int, window_ms: int) -> list[Utterance]:
    return sorted((u for u in utterances
                   if u.intent == hint.kind and speaker_matches(hint, u, channels)
                   and u.start_ms <= hint.audio_time_ms <= u.end_ms + window_ms),
                  key=lambda u: (u.end_ms, u.index))


def match(hints: list[Hint], utterances: list[Utterance], channels: int, window_ms: int = 2500,
          prefer: set[int] | None = None) -> dict[int, int]:
    """Maximum matching of hints (by position in `hints`) to utterances (by `Utterance.index`).

    With `prefer` (utterance indexes), the utterances in it are matched first: augmenting paths never
    unmatch an utterance, so the result matches as many preferred utterances as possible and, among
    those matchings, as many hints as possible. Returns {hint position: utterance index}.
    """
    order = sorted(range(len(hints)), key=lambda i: (hints[i].audio_time_ms, i))
    edges = {i: [u.index for u in candidates(hints[i], utterances, channels, window_ms)] for i in order}
    owner: dict[int, int] = {}          # utterance index -> hint position

    def augment(i: int, allowed, seen: set[int]) -> bool:
        # a free utterance first (no needless reshuffling), then try moving another hint along
        for u in edges[i]:
            if u not in owner and u not in seen and allowed(u):
                seen.add(u)
                owner[u] = i
                return True
        for u in edges[i]:
            if u in seen or not allowed(u):
                continue
            seen.add(u)
            if augment(owner[u], allowed, seen):
                owner[u] = i
                return True
        return False

    phases = [lambda u: u in prefer, lambda u: True] if prefer is not None else [lambda u: True]
    for allowed in phases:
        for i in order:
            if i not in owner.values():
                augment(i, allowed, set())
    return {i: u for u, i in owner.items()}


def oracle_expected(utterances: list[Utterance], dynamics: list[Hint], policy: Policy = Policy()) -> set[int]:
    """Indexes of the intent utterances whose hint survives the default policy (see the module doc)."""
    events = [(h.audio_time_ms, 0, h.kind, None) for h in dynamics]
    events += [(u.end_ms + policy.delay_ms, 1, policy.cooldown_key(u), u.index) for u in utterances if u.intent]
    events.sort(key=lambda e: (e[0], e[1], e[3] if e[3] is not None else -1))
    shown: list[int] = []              # times of every hint shown so far
    last_by_kind: dict[str, int] = {}  # by cooldown key: the kind, or competitor_mention/<name>
    expected: set[int] = set()
    for t, is_content, kind, index in events:
        if not is_content:             # the replay really emitted it: it uses up budget
            shown.append(t)
            continue
        if kind in last_by_kind and t - last_by_kind[kind] < policy.cooldown_ms:
            continue
        if sum(1 for s in shown if t - s < policy.budget_window_ms) >= policy.budget:
            continue
        shown.append(t)
        last_by_kind[kind] = t
        expected.add(index)
    return expected


# --------------------------------------------------------------------------------------------------
# Scoring


def percentile(values: list[int], p: float) -> int | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


def latency_stats(latencies: list[int]) -> dict:
    return {
        "n": len(latencies),
        "median_ms": round(statistics.median(latencies)) if latencies else None,
        "p90_ms": percentile(latencies, 90),
        "max_ms": max(latencies) if latencies else None,
    }


def ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def score_call(timeline: Timeline, output: ReplayOutput, expect: str, window_ms: int = 2500,
               policy: Policy = Policy()) -> dict:
    """The figures of one call. `expect` is "all" (unlimited policy) or "oracle" (default policy)."""
    intent_utts = [u for u in timeline.utterances if u.intent]
    if expect == "all":
        expected = {u.index for u in intent_utts}
    else:
        expected = oracle_expected(timeline.utterances, output.dynamics, policy)
    hints = output.content
    pairs = match(hints, intent_utts, timeline.channels, window_ms, prefer=expected)
    by_index = {u.index: u for u in intent_utts}
    matched_utts = set(pairs.values())
    latencies = [hints[h].audio_time_ms - by_index[u].end_ms for h, u in sorted(pairs.items())]

    per_intent = {}
    for kind in INTENTS:
        k_utts = [u for u in intent_utts if u.intent == kind]
        k_hints = [i for i, h in enumerate(hints) if h.kind == kind]
        per_intent[kind] = {
            "utterances": len(k_utts),
            "expected": sum(1 for u in k_utts if u.index in expected),
            "hints": len(k_hints),
            "true_positives": sum(1 for i in k_hints if i in pairs),
            "found": sum(1 for u in k_utts if u.index in expected and u.index in matched_utts),
        }

    def utt_json(u: Utterance) -> dict:
        return {"index": u.index, "intent": u.intent, "speaker": u.speaker, "start_ms": u.start_ms,
                "end_ms": u.end_ms, "text": u.text}

    def hint_json(h: Hint) -> dict:
        return {"id": h.id, "kind": h.kind, "speaker": h.speaker, "audio_time_ms": h.audio_time_ms,
                "trigger": h.trigger, "confidence": h.confidence}

    tp, found = len(pairs), len(expected & matched_utts)
    return {
        "call": timeline.call,
        "channels": timeline.channels,
        "content_hints": len(hints),
        "dynamics_hints": len(output.dynamics),
        "true_positives": tp,
        "precision": ratio(tp, len(hints)),
        "intent_utterances": len(intent_utts),
        "expected": len(expected),
        "found": found,
        "recall": ratio(found, len(expected)),
        "latency": latency_stats(latencies),
        "latencies_ms": latencies,
        "per_intent": per_intent,
        "matches": [{"hint": hint_json(hints[h]), "utterance": utt_json(by_index[u]),
                     "latency_ms": hints[h].audio_time_ms - by_index[u].end_ms} for h, u in sorted(pairs.items())],
        "false_positives": [hint_json(h) for i, h in enumerate(hints) if i not in pairs],
        "missed": [utt_json(u) for u in intent_utts if u.index in expected and u.index not in matched_utts],
        "not_expected": [utt_json(u) for u in intent_utts if u.index not in expected],
        "notes": list(output.notes),
    }


def aggregate(results: list[dict]) -> dict:
    hints = sum(r["content_hints"] for r in results)
    tp = sum(r["true_positives"] for r in results)
    expected = sum(r["expected"] for r in results)
    found = sum(r["found"] for r in results)
    latencies = [x for r in results for x in r["latencies_ms"]]
    per_intent = {k: {f: sum(r["per_intent"][k][f] for r in results)
                      for f in ("utterances", "expected", "hints", "true_positives", "found")} for k in INTENTS}
    return {
        "calls": len(results),
        "content_hints": hints,
        "dynamics_hints": sum(r["dynamics_hints"] for r in results),
        "true_positives": tp,
        "precision": ratio(tp, hints),
        "intent_utterances": sum(r["intent_utterances"] for r in results),
        "expected": expected,
        "found": found,
        "recall": ratio(found, expected),
        "latency": latency_stats(latencies),
        "per_intent": per_intent,
    }


def check(overall: dict, errors: dict, min_precision: float, min_recall: float, max_median_ms: float) -> list[str]:
    """Why the check fails: an empty list means it passes."""
    failures = [f"{call}: {msg}" for call, msg in errors.items()]
    p, r, med = overall["precision"], overall["recall"], overall["latency"]["median_ms"]
    if p is None:
        failures.append("precision: no content hints at all")
    elif p < min_precision:
        failures.append(f"precision {p:.3f} < {min_precision}")
    if r is None:
        failures.append("recall: no expected utterances")
    elif r < min_recall:
        failures.append(f"recall {r:.3f} < {min_recall}")
    if med is None:
        failures.append("median latency: no matched hints")
    elif med >= max_median_ms:
        failures.append(f"median latency {med} ms >= {max_median_ms:g} ms")
    return failures


# --------------------------------------------------------------------------------------------------
# Running the replay


def find_calls(calls_dir: Path) -> list[str]:
    """Calls with a timeline and a clean .opus file, in name order."""
    names = []
    for p in sorted(calls_dir.glob("*.json")):
        if p.stem.endswith(NOISE_SUFFIX) or not (calls_dir / f"{p.stem}.opus").is_file():
            continue
        names.append(p.stem)
    return names


def resolve_binary(path: str) -> Path:
    p = Path(path)
    if p.is_absolute() or p.exists():
        return p
    repo_relative = HERE.parent / p          # the default is relative to the repository root
    return repo_relative if repo_relative.exists() else p


def run_replay(binary: Path, audio: Path, extra: list[str], timeout_s: float) -> str:
    cmd = [str(binary), "replay", "--json", *extra, str(audio)]
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout_s)
    except FileNotFoundError:
        raise EvaluationError(f"cannot run {binary}: no such file (build it, or pass --earpiece)")
    except PermissionError:
        raise EvaluationError(f"cannot run {binary}: not executable")
    except subprocess.TimeoutExpired:
        raise EvaluationError(f"replay of {audio.name} took longer than {timeout_s:g} s")
    stdout = proc.stdout.decode("utf-8", errors="replace")
    if proc.returncode != 0:
        stderr = proc.stderr.decode("utf-8", errors="replace").strip().splitlines()
        why = " / ".join(stderr[-3:]) if stderr else "no message"
        raise EvaluationError(f"`{' '.join(cmd)}` exited with status {proc.returncode}: {why}")
    return stdout


# --------------------------------------------------------------------------------------------------
# Reporting


def fmt(x, kind="ratio") -> str:
    if x is None:
        return "n/a"
    return f"{x:.2f}" if kind == "ratio" else str(x)


def render(results: list[dict], overall: dict, errors: dict, header: str, verbose: bool) -> str:
    lines = [header, ""]
    cols = f"{'call':<26}{'hints':>6}{'TP':>5}{'prec':>7}{'utts':>6}{'expct':>6}{'found':>6}{'recall':>7}" \
           f"{'lat med':>9}{'p90':>7}{'max':>7}{'dyn':>5}"
    lines.append(cols)
    lines.append("-" * len(cols))

    def row(name, r):
        lat = r["latency"]
        return (f"{name:<26}{r['content_hints']:>6}{r['true_positives']:>5}{fmt(r['precision']):>7}"
                f"{r['intent_utterances']:>6}{r['expected']:>6}{r['found']:>6}{fmt(r['recall']):>7}"
                f"{fmt(lat['median_ms'], 'ms'):>9}{fmt(lat['p90_ms'], 'ms'):>7}{fmt(lat['max_ms'], 'ms'):>7}"
                f"{r['dynamics_hints']:>5}")
    for r in results:
        lines.append(row(r["name"], r))
    for name, msg in errors.items():
        lines.append(f"{name:<26}ERROR: {msg}")
    lines.append("-" * len(cols))
    lines.append(row("overall", overall))
    lines.append("")
    lines.append(f"{'intent':<22}{'utts':>6}{'expct':>6}{'hints':>6}{'TP':>5}{'found':>6}{'prec':>7}{'recall':>7}")
    for k, c in overall["per_intent"].items():
        lines.append(f"{k:<22}{c['utterances']:>6}{c['expected']:>6}{c['hints']:>6}{c['true_positives']:>5}"
                     f"{c['found']:>6}{fmt(ratio(c['true_positives'], c['hints'])):>7}"
                     f"{fmt(ratio(c['found'], c['expected'])):>7}")
    lines.append("")
    lines.append("latency = hint audio_time_ms - utterance end (ms); dyn = dynamics hints emitted")
    if verbose:
        for r in results:
            if not (r["false_positives"] or r["missed"] or r["notes"] or r["not_expected"]):
                continue
            lines.append("")
            lines.append(f"{r['name']}:")
            for h in r["false_positives"]:
                lines.append(f"  false positive  {h['audio_time_ms'] / 1000:8.3f} s  {h['kind']} ({h['speaker']})"
                             f"  [{h['trigger']}]")
            for u in r["missed"]:
                lines.append(f"  missed          {u['end_ms'] / 1000:8.3f} s  {u['intent']} ({u['speaker']})"
                             f"  \"{u['text']}\"")
            for u in r["not_expected"]:
                lines.append(f"  not expected    {u['end_ms'] / 1000:8.3f} s  {u['intent']} ({u['speaker']})"
                             f"  (the oracle's policy would not hint it)")
            for n in r["notes"]:
                lines.append(f"  note: {n}")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# Command line


def parse_args(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="evaluate.py",
        description="Precision, recall and latency of Earpiece's content hints on the fixture calls.",
        epilog="Arguments after `--` are passed to `earpiece replay` as they are.")
    ap.add_argument("--earpiece", default=".build/debug/earpiece",
                    help="the earpiece binary (default .build/debug/earpiece; relative paths are tried from "
                         "the current directory, then from the repository root)")
    ap.add_argument("--calls", help="comma-separated call names (default: every call in Fixtures/calls)")
    ap.add_argument("--noise", action="store_true",
                    help=f"evaluate the {NOISE_SUFFIX} variants (pink noise at 20 dB SNR) instead of the clean calls")
    ap.add_argument("--tier", help="passed to the replay as --tier (transcript, keyphrase, dynamics)")
    ap.add_argument("--hint-policy", help="passed to the replay as --hint-policy (default, unlimited); "
                                          "also picks the recall notion")
    ap.add_argument("--expect", choices=("all", "oracle"),
                    help="which utterances count for recall: all (what --hint-policy unlimited should find) or "
                         "oracle (what the default policy allows); default follows --hint-policy")
    ap.add_argument("--replay-arg", action="append", default=[], metavar="ARG",
                    help="one more argument for the replay (repeatable)")
    ap.add_argument("--from-jsonl", metavar="DIR",
                    help="read saved replay outputs DIR/<call>.jsonl (DIR/<call>-noise20.jsonl with --noise) "
                         "instead of running the replay")
    ap.add_argument("--save-jsonl", metavar="DIR", help="save each replay's output as DIR/<call>.jsonl")
    ap.add_argument("--fixtures", default=str(HERE / "calls"), help="the calls directory (default Fixtures/calls)")
    ap.add_argument("--window-ms", type=int, default=2500,
                    help="how long after an utterance ends a hint may still match it (default 2500)")
    ap.add_argument("--oracle-delay-ms", type=int, default=300)
    ap.add_argument("--cooldown-s", type=float, default=60, help="oracle: cooldown per kind (default 60)")
    ap.add_argument("--budget", type=int, default=4, help="oracle: hints per budget window (default 4)")
    ap.add_argument("--budget-window-s", type=float, default=120, help="oracle: budget window (default 120)")
    ap.add_argument("--playbook", default=str(HERE.parent / "Models" / "playbook.json"),
                    help="oracle: the playbook whose competitors cool down apart (default Models/playbook.json)")
    ap.add_argument("--timeout", type=float, default=900, help="seconds allowed per replay (default 900)")
    ap.add_argument("--json-out", metavar="FILE", help="write every figure as JSON")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 unless precision, recall and median latency meet the thresholds")
    ap.add_argument("--min-precision", type=float, default=0.9)
    ap.add_argument("--min-recall", type=float, default=0.9)
    ap.add_argument("--max-median-latency-ms", type=float, default=1000)
    ap.add_argument("-v", "--verbose", action="store_true", help="list false positives and misses per call")
    if "--" in argv:
        cut = argv.index("--")
        args = ap.parse_args(argv[:cut])
        args.passthrough = argv[cut + 1:]
    else:
        args = ap.parse_args(argv)
        args.passthrough = []
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    calls_dir = Path(args.fixtures)
    if not calls_dir.is_dir():
        print(f"evaluate.py: no calls directory {calls_dir}", file=sys.stderr)
        return 2
    names = [c.strip() for c in args.calls.split(",") if c.strip()] if args.calls else find_calls(calls_dir)
    if not names:
        print(f"evaluate.py: no calls to evaluate in {calls_dir}", file=sys.stderr)
        return 2
    expect = args.expect or ("all" if args.hint_policy == "unlimited" else "oracle")
    try:
        competitors = load_competitors(Path(args.playbook))
    except EvaluationError as problem:
        print(f"evaluate.py: {problem}", file=sys.stderr)
        return 2
    policy = Policy(delay_ms=args.oracle_delay_ms, cooldown_ms=round(args.cooldown_s * 1000),
                    budget=args.budget, budget_window_ms=round(args.budget_window_s * 1000),
                    competitors=competitors)
    extra = []
    if args.tier:
        extra += ["--tier", args.tier]
    if args.hint_policy:
        extra += ["--hint-policy", args.hint_policy]
    extra += args.replay_arg + args.passthrough
    binary = resolve_binary(args.earpiece)
    suffix = NOISE_SUFFIX if args.noise else ""

    results, errors = [], {}
    for name in names:
        variant = name + suffix
        try:
            timeline = load_timeline(calls_dir / f"{name}.json")     # the noisy variant shares it
            if args.from_jsonl:
                path = Path(args.from_jsonl) / f"{variant}.jsonl"
                try:
                    text = path.read_text(encoding="utf-8", errors="replace")
                except OSError as e:
                    raise EvaluationError(f"cannot read {path}: {e.strerror or e}")
            else:
                audio = calls_dir / f"{variant}.opus"
                if not audio.is_file():
                    raise EvaluationError(f"no audio file {audio}")
                print(f"replaying {audio.name} …", file=sys.stderr, flush=True)
                text = run_replay(binary, audio, extra, args.timeout)
                if args.save_jsonl:
                    Path(args.save_jsonl).mkdir(parents=True, exist_ok=True)
                    (Path(args.save_jsonl) / f"{variant}.jsonl").write_text(text, encoding="utf-8")
            output = parse_replay_output(text)
            if output.errors:
                more = f" (and {len(output.errors) - 1} more)" if len(output.errors) > 1 else ""
                raise EvaluationError(f"malformed replay output: {output.errors[0]}{more}")
            if not text.strip():
                raise EvaluationError("the replay printed nothing")
            r = score_call(timeline, output, expect, args.window_ms, policy)
            r["name"] = variant
            results.append(r)
        except EvaluationError as e:
            errors[variant] = str(e)

    overall = aggregate(results)
    policy_name = args.hint_policy or "default"
    header = (f"Earpiece content hints: {'noisy (' + NOISE_SUFFIX[1:] + ')' if args.noise else 'clean'} calls, "
              f"tier {args.tier or '(replay default)'}, hint policy {policy_name}; recall against "
              + ("every intent utterance" if expect == "all" else
                 f"the oracle (cooldown {policy.cooldown_ms / 1000:g} s per kind and per competitor, {policy.budget} hints per "
                 f"{policy.budget_window_ms / 1000:g} s)")
              + f"; match window end + {args.window_ms} ms")
    print(render(results, overall, errors, header, args.verbose))

    failures = check(overall, errors, args.min_precision, args.min_recall, args.max_median_latency_ms)
    if args.json_out:
        doc = {
            "variant": "noise20" if args.noise else "clean",
            "tier": args.tier, "hint_policy": policy_name, "expect": expect,
            "window_ms": args.window_ms,
            "oracle": {"delay_ms": policy.delay_ms, "cooldown_ms": policy.cooldown_ms, "budget": policy.budget,
                       "budget_window_ms": policy.budget_window_ms},
            "thresholds": {"min_precision": args.min_precision, "min_recall": args.min_recall,
                           "max_median_latency_ms": args.max_median_latency_ms},
            "overall": overall,
            "calls": {r["name"]: {k: v for k, v in r.items() if k != "name"} for r in results},
            "errors": errors,
            "check": {"passed": not failures, "failures": failures},
        }
        try:
            Path(args.json_out).write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
        except OSError as e:
            print(f"evaluate.py: cannot write {args.json_out}: {e.strerror or e}", file=sys.stderr)
            return 2
    if args.check:
        if failures:
            print("\nCHECK FAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
            return 1
        print(f"\ncheck passed: precision >= {args.min_precision}, recall >= {args.min_recall}, "
              f"median latency < {args.max_median_latency_ms:g} ms", file=sys.stderr)
    elif errors:
        print(f"\n{len(errors)} call(s) could not be evaluated (see ERROR rows)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
