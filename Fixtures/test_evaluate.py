#!/usr/bin/env python3
"""Unit tests for evaluate.py (standard library only):  python3 Fixtures/test_evaluate.py"""
import contextlib
import io
import json
import os
import stat
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import evaluate as ev  # noqa: E402

CALLS = Path(__file__).resolve().parent / "calls"
ROOT = Path(__file__).resolve().parent.parent


def utt(i, speaker, start_s, end_s, intent=None, text=""):
    return ev.Utterance(index=i, speaker=speaker, start_ms=round(start_s * 1000), end_ms=round(end_s * 1000),
                        intent=intent, text=text)


def hint(kind, t_ms, speaker="customer"):
    return ev.Hint(kind=kind, speaker=speaker, audio_time_ms=t_ms)


def hint_line(kind, t_ms, speaker="customer", n=1):
    return json.dumps({"type": "hint", "id": f"h-{n}", "kind": kind, "speaker": speaker, "audio_time_ms": t_ms,
                       "trigger": "test", "confidence": 0.9, "title": "t", "body": "b"})


READY = json.dumps({"type": "ready", "call_id": "replay", "tier": "transcript", "channels": 2})
CLOSED = json.dumps({"type": "closed", "call_id": "replay", "audio_time_ms": 99000, "packets": 1, "lost_packets": 0})


class ParseTests(unittest.TestCase):
    def test_splits_content_and_dynamics_and_ignores_other_types(self):
        text = "\n".join([
            READY,
            json.dumps({"type": "dynamics", "audio_time_ms": 1000, "talk_share": {}}),
            hint_line("pricing_objection", 41230),
            hint_line("long_silence", 50000, "unknown"),
            json.dumps({"type": "transcript", "text": "hello"}),
            json.dumps({"type": "ack", "seq": 3}),
            "",
            CLOSED,
        ])
        out = ev.parse_replay_output(text)
        self.assertEqual([h.kind for h in out.content], ["pricing_objection"])
        self.assertEqual(out.content[0].audio_time_ms, 41230)
        self.assertEqual(out.content[0].line, 3)
        self.assertEqual([h.kind for h in out.dynamics], ["long_silence"])
        self.assertEqual(out.errors, [])
        self.assertEqual(out.notes, [])

    def test_malformed_lines_are_errors_not_exceptions(self):
        text = "\n".join([READY, "{not json", "[1, 2]", json.dumps({"type": "hint", "kind": "next_step"}), CLOSED])
        out = ev.parse_replay_output(text)
        self.assertEqual(len(out.errors), 3)
        self.assertIn("line 2", out.errors[0])
        self.assertIn("line 3", out.errors[1])
        self.assertIn("line 4", out.errors[2])

    def test_unknown_kind_and_missing_closed_are_notes(self):
        out = ev.parse_replay_output(hint_line("weather_small_talk", 100))
        self.assertEqual(out.content, [])
        self.assertEqual(out.errors, [])
        self.assertEqual(len(out.notes), 2)


class MatchTests(unittest.TestCase):
    def setUp(self):
        self.u = [utt(0, "customer", 10, 12, "pricing_objection"),
                  utt(1, "rep", 20, 23, "next_step"),
                  utt(2, "customer", 40, 42, "pricing_objection")]

    def test_window_is_start_to_end_plus_2500_inclusive(self):
        for t, ok in [(9_999, False), (10_000, True), (12_000, True), (14_500, True), (14_501, False)]:
            with self.subTest(t=t):
                self.assertEqual(ev.match([hint("pricing_objection", t)], self.u, 2), {0: 0} if ok else {})

    def test_kind_must_agree(self):
        self.assertEqual(ev.match([hint("churn_risk", 12_500)], self.u, 2), {})

    def test_stereo_speaker_must_agree(self):
        self.assertEqual(ev.match([hint("next_step", 23_300, "customer")], self.u, 2), {})
        self.assertEqual(ev.match([hint("next_step", 23_300, "unknown")], self.u, 2), {})
        self.assertEqual(ev.match([hint("next_step", 23_300, "rep")], self.u, 2), {0: 1})

    def test_mono_unknown_speaker_matches_either(self):
        self.assertEqual(ev.match([hint("next_step", 23_300, "unknown")], self.u, 1), {0: 1})
        self.assertEqual(ev.match([hint("pricing_objection", 12_300, "unknown")], self.u, 1), {0: 0})

    def test_each_utterance_matches_once(self):
        hints = [hint("pricing_objection", 12_100), hint("pricing_objection", 12_400)]
        self.assertEqual(ev.match(hints, self.u, 2), {0: 0})

    def test_overlapping_windows_both_matched(self):
        u = [utt(0, "customer", 10, 14, "churn_risk"), utt(1, "customer", 11, 20, "churn_risk")]
        # both hints fit both utterances: the earlier hint takes the utterance that ends first
        hints = [hint("churn_risk", 15_000), hint("churn_risk", 12_000)]
        self.assertEqual(ev.match(hints, u, 2), {1: 0, 0: 1})
        # the later hint fits only the longer utterance
        hints = [hint("churn_risk", 12_000), hint("churn_risk", 17_000)]
        self.assertEqual(ev.match(hints, u, 2), {0: 0, 1: 1})

    def test_augmenting_path_keeps_preferred_utterances_matched(self):
        u = [utt(0, "customer", 10, 14, "churn_risk"), utt(1, "customer", 11, 20, "churn_risk")]
        # phase 1 gives the only hint fitting u1 ... then phase 2 may move hints but never unmatch u1
        hints = [hint("churn_risk", 12_000), hint("churn_risk", 13_000)]
        self.assertEqual(set(ev.match(hints, u, 2, prefer={1}).values()), {0, 1})
        hints = [hint("churn_risk", 16_000)]
        self.assertEqual(ev.match(hints, u, 2, prefer={0}), {0: 0})

    def test_preferred_utterances_are_matched_first(self):
        u = [utt(0, "customer", 10, 14, "churn_risk"), utt(1, "customer", 11, 20, "churn_risk")]
        hints = [hint("churn_risk", 12_000)]
        self.assertEqual(ev.match(hints, u, 2), {0: 0})
        self.assertEqual(ev.match(hints, u, 2, prefer={1}), {0: 1})
        self.assertEqual(ev.match(hints, u, 2, prefer=set()), {0: 0})


class OracleTests(unittest.TestCase):
    def test_cooldown_per_kind(self):
        u = [utt(0, "customer", 0, 10, "pricing_objection"),
             utt(1, "customer", 20, 30, "pricing_objection"),     # 20 s after: cooled down? no
             utt(2, "customer", 31, 40, "churn_risk"),            # other kind: fine
             utt(3, "customer", 60, 70, "pricing_objection")]     # exactly 60 s after the first hint: fine
        self.assertEqual(ev.oracle_expected(u, []), {0, 2, 3})

    def test_cooldown_counts_from_the_last_shown_hint(self):
        u = [utt(0, "customer", 0, 10, "pricing_objection"),
             utt(1, "customer", 50, 60, "pricing_objection"),     # suppressed (50 s after)
             utt(2, "customer", 69, 80, "pricing_objection")]     # 70 s after the shown one: fine
        self.assertEqual(ev.oracle_expected(u, []), {0, 2})

    def test_budget_of_four_in_120_s(self):
        kinds = list(ev.INTENTS)
        u = [utt(i, "customer", 10 * i, 10 * i + 5, kinds[i]) for i in range(6)]
        self.assertEqual(ev.oracle_expected(u, []), {0, 1, 2, 3})
        # the fifth fits once 120 s have passed since the first
        u.append(utt(6, "customer", 120, 125, kinds[6]))   # hint at 125.3 s; the first was at 5.3 s
        self.assertEqual(ev.oracle_expected(u, []), {0, 1, 2, 3, 6})

    def test_dynamics_hints_use_up_budget(self):
        u = [utt(i, "customer", 10 * i, 10 * i + 5, list(ev.INTENTS)[i]) for i in range(4)]
        dyn = [ev.Hint(kind="long_silence", speaker="unknown", audio_time_ms=1000),
               ev.Hint(kind="rep_monologue", speaker="rep", audio_time_ms=2000)]
        self.assertEqual(ev.oracle_expected(u, dyn), {0, 1})

    def test_competitors_cool_down_apart(self):
        # the gateway keys a competitor_mention's cooldown by the competitor it names
        u = [utt(0, "customer", 0, 10, "competitor_mention", "we are evaluating acme as well"),
             utt(1, "customer", 20, 30, "competitor_mention", "globex quoted us less"),
             utt(2, "customer", 40, 50, "competitor_mention", "acme called again")]
        policy = ev.Policy(competitors=("Acme", "Globex"))
        self.assertEqual(ev.oracle_expected(u, [], policy), {0, 1})
        self.assertEqual(ev.oracle_expected(u, []), {0})   # without names: one cooldown for the kind

    def test_the_playbooks_competitors_are_read(self):
        self.assertIn("Globex", ev.load_competitors(ROOT / "Models" / "playbook.json"))
        with tempfile.TemporaryDirectory() as d:
            bad = Path(d) / "p.json"
            bad.write_text('{"competitors": [1]}')
            with self.assertRaises(ev.EvaluationError):
                ev.load_competitors(bad)

    def test_policy_is_configurable(self):
        u = [utt(0, "customer", 0, 10, "pricing_objection"), utt(1, "customer", 20, 30, "pricing_objection")]
        self.assertEqual(ev.oracle_expected(u, [], ev.Policy(cooldown_ms=15_000)), {0, 1})
        u = [utt(i, "customer", 10 * i, 10 * i + 5, list(ev.INTENTS)[i]) for i in range(3)]
        self.assertEqual(ev.oracle_expected(u, [], ev.Policy(budget=2)), {0, 1})


class ScoreTests(unittest.TestCase):
    def timeline(self, channels=2):
        return ev.Timeline(call="t", channels=channels, utterances=[
            utt(0, "rep", 0, 5),
            utt(1, "customer", 6, 10, "pricing_objection"),
            utt(2, "customer", 11, 15, "pricing_objection"),    # inside the cooldown: not expected by default
            utt(3, "rep", 80, 85, "next_step"),
        ])

    def test_figures(self):
        out = ev.ReplayOutput(content=[hint("pricing_objection", 10_400), hint("next_step", 86_000, "rep"),
                                       hint("churn_risk", 50_000)])
        r = ev.score_call(self.timeline(), out, "oracle")
        self.assertEqual((r["content_hints"], r["true_positives"]), (3, 2))
        self.assertAlmostEqual(r["precision"], 2 / 3)
        self.assertEqual((r["expected"], r["found"], r["recall"]), (2, 2, 1.0))
        self.assertEqual(r["latencies_ms"], [400, 1000])
        self.assertEqual(r["latency"], {"n": 2, "median_ms": 700, "p90_ms": 1000, "max_ms": 1000})
        self.assertEqual(r["per_intent"]["pricing_objection"],
                         {"utterances": 2, "expected": 1, "hints": 1, "true_positives": 1, "found": 1})
        self.assertEqual([h["kind"] for h in r["false_positives"]], ["churn_risk"])
        r = ev.score_call(self.timeline(), out, "all")
        self.assertEqual((r["expected"], r["found"]), (3, 2))
        self.assertEqual([u["index"] for u in r["missed"]], [2])

    def test_a_hint_on_a_suppressed_utterance_is_still_a_true_positive(self):
        out = ev.ReplayOutput(content=[hint("pricing_objection", 15_300)])
        r = ev.score_call(self.timeline(), out, "oracle")
        self.assertEqual((r["true_positives"], r["found"], r["expected"]), (1, 0, 2))

    def test_aggregate_and_check(self):
        a = ev.score_call(self.timeline(), ev.ReplayOutput(content=[hint("pricing_objection", 10_400)]), "all")
        b = ev.score_call(self.timeline(), ev.ReplayOutput(content=[hint("pricing_objection", 15_600),
                                                                   hint("next_step", 85_500, "rep")]), "all")
        o = ev.aggregate([a, b])
        self.assertEqual((o["content_hints"], o["true_positives"], o["expected"], o["found"]), (3, 3, 6, 3))
        self.assertEqual(o["latency"]["median_ms"], 500)
        self.assertEqual(o["per_intent"]["pricing_objection"]["hints"], 2)
        failures = ev.check(o, {}, 0.9, 0.9, 1000)
        self.assertEqual(len(failures), 1)
        self.assertIn("recall 0.500 < 0.9", failures[0])
        self.assertEqual(ev.check(o, {}, 0.9, 0.5, 1000), [])
        self.assertIn("median latency 500 ms >= 400 ms", ev.check(o, {}, 0.9, 0.5, 400)[0])
        self.assertIn("x: boom", ev.check(o, {"x": "boom"}, 0.9, 0.5, 1000)[0])
        empty = ev.aggregate([])
        self.assertEqual(len(ev.check(empty, {}, 0.9, 0.9, 1000)), 3)

    def test_percentile(self):
        self.assertIsNone(ev.percentile([], 90))
        self.assertEqual(ev.percentile([5], 90), 5)
        self.assertEqual(ev.percentile(list(range(1, 11)), 90), 9)
        self.assertEqual(ev.percentile(list(range(1, 11)), 100), 10)


FAKE_EARPIECE = textwrap.dedent('''\
    #!{python}
    # A stand-in for `earpiece replay --json`: hints every intent utterance of the timeline next to the
    # audio file at its end + 400 ms; FAKE_MODE=fail exits 3, FAKE_MODE=garbage prints a bad line.
    import json, os, sys
    args = sys.argv[1:]
    assert args[:2] == ["replay", "--json"], args
    with open(os.environ["FAKE_ARGS_LOG"], "a") as f:
        f.write(json.dumps(args) + "\\n")
    mode = os.environ.get("FAKE_MODE", "perfect")
    if mode == "fail":
        print("Error: cannot open audio", file=sys.stderr)
        sys.exit(3)
    audio = args[-1]
    timeline = json.load(open(audio.replace("-noise20.opus", ".opus").replace(".opus", ".json")))
    print(json.dumps({{"type": "ready", "call_id": "replay", "tier": "transcript"}}))
    for n, u in enumerate(timeline["utterances"]):
        if u["intent"]:
            speaker = "unknown" if timeline["channels"] == 1 else u["speaker"]
            print(json.dumps({{"type": "hint", "id": "h-%d" % n, "kind": u["intent"], "speaker": speaker,
                              "audio_time_ms": round(u["end_s"] * 1000) + 400, "trigger": u["text"],
                              "confidence": 0.9, "title": "t", "body": "b"}}))
    if mode == "garbage":
        print("{{oops")
    print(json.dumps({{"type": "closed", "call_id": "replay", "audio_time_ms": 1, "packets": 1, "lost_packets": 0}}))
''')


class CommandLineTests(unittest.TestCase):
    """main() end to end, with a fake earpiece binary and a small calls directory."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        root = Path(self.tmp.name)
        self.calls = root / "calls"
        self.calls.mkdir()
        for name, channels, utts in [
            ("a-call", 2, [("rep", 0.5, 3.0, None), ("customer", 3.5, 6.0, "pricing_objection"),
                           ("rep", 7.0, 9.0, "next_step")]),
            ("b-call", 1, [("rep", 0.5, 3.0, None), ("customer", 3.5, 6.0, "churn_risk")]),
        ]:
            doc = {"call": name, "channels": channels, "sample_rate": 48000, "duration_s": 10.0,
                   "utterances": [{"speaker": s, "start_s": a, "end_s": b, "text": f"words {i}", "intent": k}
                                  for i, (s, a, b, k) in enumerate(utts)], "windows": []}
            (self.calls / f"{name}.json").write_text(json.dumps(doc))
            (self.calls / f"{name}.opus").write_bytes(b"")
            (self.calls / f"{name}-noise20.opus").write_bytes(b"")
        (self.calls / "noise20.json").write_text("{}")        # not a call: it has no .opus
        self.fake = root / "earpiece"
        self.fake.write_text(FAKE_EARPIECE.format(python=sys.executable))
        self.fake.chmod(self.fake.stat().st_mode | stat.S_IXUSR)
        self.args_log = root / "args.log"
        os.environ["FAKE_ARGS_LOG"] = str(self.args_log)
        os.environ.pop("FAKE_MODE", None)

    def tearDown(self):
        os.environ.pop("FAKE_MODE", None)
        self.tmp.cleanup()

    def run_main(self, *argv):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = ev.main(["--fixtures", str(self.calls), "--earpiece", str(self.fake), *argv])
        return code, out.getvalue(), err.getvalue()

    def test_finds_calls(self):
        self.assertEqual(ev.find_calls(self.calls), ["a-call", "b-call"])

    def test_perfect_replay_passes_the_check_and_writes_json(self):
        out_json = Path(self.tmp.name) / "out.json"
        code, out, err = self.run_main("--check", "--hint-policy", "unlimited", "--tier", "transcript",
                                       "--json-out", str(out_json), "--", "--chunk-size", "960")
        self.assertEqual(code, 0, out + err)
        self.assertIn("check passed", err)
        doc = json.loads(out_json.read_text())
        self.assertEqual(doc["overall"]["precision"], 1.0)
        self.assertEqual(doc["overall"]["recall"], 1.0)
        self.assertEqual(doc["overall"]["latency"]["median_ms"], 400)
        self.assertEqual(doc["expect"], "all")
        self.assertTrue(doc["check"]["passed"])
        self.assertEqual(set(doc["calls"]), {"a-call", "b-call"})
        args = [json.loads(x) for x in self.args_log.read_text().splitlines()]
        self.assertEqual(args[0][:-1], ["replay", "--json", "--tier", "transcript", "--hint-policy", "unlimited",
                                        "--chunk-size", "960"])
        self.assertTrue(args[0][-1].endswith("a-call.opus"))

    def test_noise_variants_share_the_timeline(self):
        code, out, err = self.run_main("--noise", "--calls", "a-call")
        self.assertEqual(code, 0, out + err)
        self.assertIn("a-call-noise20", out)
        args = [json.loads(x) for x in self.args_log.read_text().splitlines()]
        self.assertTrue(args[0][-1].endswith("a-call-noise20.opus"))

    def test_thresholds_name_the_failing_figure(self):
        code, out, err = self.run_main("--check", "--max-median-latency-ms", "300")
        self.assertEqual(code, 1)
        self.assertIn("median latency 400 ms >= 300 ms", err)

    def test_failing_replay_is_reported(self):
        os.environ["FAKE_MODE"] = "fail"
        code, out, err = self.run_main("--check")
        self.assertEqual(code, 1)
        self.assertIn("ERROR:", out)
        self.assertIn("exited with status 3: Error: cannot open audio", out)
        self.assertNotIn("Traceback", out + err)

    def test_malformed_output_is_reported(self):
        os.environ["FAKE_MODE"] = "garbage"
        code, out, err = self.run_main("--calls", "b-call")
        self.assertEqual(code, 1)
        self.assertIn("malformed replay output: line", out)

    def test_missing_binary_and_missing_call(self):
        code, out, err = self.run_main("--calls", "a-call,zzz", "--earpiece", "/nonexistent/earpiece")
        self.assertEqual(code, 1)
        self.assertIn("no such file", out)
        self.assertIn("zzz", out)
        self.assertIn("timeline", out)

    def test_from_jsonl(self):
        saved = Path(self.tmp.name) / "saved"
        code, out, err = self.run_main("--save-jsonl", str(saved), "--hint-policy", "unlimited")
        self.assertEqual(code, 0, out + err)
        self.assertTrue((saved / "a-call.jsonl").is_file())
        self.fake.unlink()                       # no binary needed from here on
        code, out2, err = self.run_main("--from-jsonl", str(saved), "--hint-policy", "unlimited", "--check")
        self.assertEqual(code, 0, out2 + err)
        self.assertEqual(out, out2)
        code, out, err = self.run_main("--from-jsonl", str(saved), "--noise")
        self.assertEqual(code, 1)
        self.assertIn("cannot read", out)


class FixtureTests(unittest.TestCase):
    """The committed fixtures meet what the evaluation needs."""

    def timelines(self):
        return {name: ev.load_timeline(CALLS / f"{name}.json") for name in ev.find_calls(CALLS)}

    def test_every_intent_occurs_at_least_three_times(self):
        counts = {k: 0 for k in ev.INTENTS}
        for t in self.timelines().values():
            for u in t.utterances:
                if u.intent:
                    counts[u.intent] += 1
        self.assertTrue(all(n >= 3 for n in counts.values()), counts)

    def test_every_call_has_a_noisy_variant(self):
        for name in self.timelines():
            self.assertTrue((CALLS / f"{name}-noise20.opus").is_file(), name)

    def test_new_calls_fit_the_default_policy(self):
        # the calls written with the policy in mind: every intent utterance survives the oracle
        for name in ("renewal-call", "security-call", "upgrade-call", "mono-checkin-call", "expansion-call",
                     "mono-followup-call", "onboarding-call", "mono-kickoff-call"):
            t = self.timelines()[name]
            intents = {u.index for u in t.utterances if u.intent}
            self.assertEqual(ev.oracle_expected(t.utterances, []), intents, name)

    def test_an_ideal_engine_scores_perfectly(self):
        for name, t in self.timelines().items():
            hints = [hint(u.intent, u.end_ms + 300, "unknown" if t.channels == 1 else u.speaker)
                     for u in t.utterances if u.intent]
            r = ev.score_call(t, ev.ReplayOutput(content=hints), "all")
            self.assertEqual((r["precision"], r["recall"]), (1.0, 1.0), name)


if __name__ == "__main__":
    unittest.main()
