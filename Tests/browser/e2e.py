#!/usr/bin/env python3
"""End-to-end test of the web client in a real browser.

Starts the gateway on a free port with a fresh data directory, plays a fixture call into headless
Chromium's fake microphone, and drives the rep's page over the DevTools protocol: sign in, start a call,
see the hints the fixture's timeline predicts, end the call, find its recording over REST and its summary
on the page. It does that twice, once with WebCodecs (raw frames) and once with the MediaRecorder fallback
(WebM), then checks the admin page. Standard library only.

    python3 Tests/browser/e2e.py --binary .build/debug/earpiece --out /tmp/e2e-shots

Exits 0 when every check passed, 1 with the reason otherwise.
"""
import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from devtools import DevTools, DevToolsError, Page  # noqa: E402
from gateway_process import GatewayProcess  # noqa: E402

# Page state the failure messages show: what the rep would see.
PAGE_STATE = """JSON.stringify({
  url: location.href,
  connection: document.getElementById('connection')?.dataset.state,
  connectionText: document.getElementById('connection')?.textContent,
  signInError: document.querySelector('[data-testid=sign-in-error]')?.textContent,
  callError: document.querySelector('[data-testid=call-error]')?.textContent,
  notice: document.querySelector('[data-testid=call-notice]')?.textContent,
  facts: document.querySelector('[data-testid=call-facts]')?.innerText,
  hints: [...document.querySelectorAll('[data-testid=hint-card]')].map((card) => card.dataset.kind),
  audioMs: document.querySelector('[data-testid=audio-time]')?.dataset.ms,
  summary: document.querySelector('[data-testid=summary-state]')?.textContent,
})"""

# The raw-frame test vector of docs/protocol.md.
RAW_FRAME_VECTOR = "45 50 01 00 00 00 00 07 00 00 00 00 00 02 22 e0 fc ff fe"


class Failure(Exception):
    pass


def parse_arguments():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description="End-to-end test of the web client in headless Chromium.")
    parser.add_argument("--binary", required=True, help="the earpiece executable")
    parser.add_argument("--repo", default=os.path.abspath(os.path.join(here, "..", "..")),
                        help="the repository root (Models/ and Fixtures/); default: two levels above this script")
    parser.add_argument("--fixture", help="an Ogg Opus fixture with a timeline .json beside it "
                                          "(default: Fixtures/calls/mono-call.opus)")
    parser.add_argument("--out", help="directory for screenshots (default: a temporary one, removed)")
    parser.add_argument("--save-webm", help="write the WebM bytes the page sent in the MediaRecorder run here")
    parser.add_argument("--web-root", help="serve the web client from this directory (EARPIECE_WEB_ROOT) "
                                           "instead of the executable's bundle")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--encoders", default="webcodecs,mediarecorder",
                        help="comma-separated: webcodecs, mediarecorder (default: both)")
    parser.add_argument("--lenient-live-hints", action="store_true",
                        help="only report a hint the timeline predicts that is not shown live (the intent must then "
                             "be in the call's summary on the page); by default such a miss fails the test")
    parser.add_argument("--no-resume", action="store_true",
                        help="skip dropping the WebCodecs run's connection on purpose to test resuming")
    parser.add_argument("--summary-timeout", type=float, default=240, help="seconds to wait for the summary")
    parser.add_argument("--keep-temp", action="store_true", help="keep the temporary data directory and logs")
    return parser.parse_args()


def expectations(fixture, playbook_path):
    """What the fixture's timeline predicts: the intents and, for competitor mentions, the names."""
    timeline_path = os.path.splitext(fixture)[0] + ".json"
    try:
        with open(timeline_path) as handle:
            timeline = json.load(handle)
    except OSError as error:
        raise Failure(f"the fixture needs its timeline beside it: {error}")
    try:
        with open(playbook_path) as handle:
            competitors = json.load(handle).get("competitors", [])
    except OSError:
        competitors = []
    kinds, names = [], set()
    for utterance in timeline.get("utterances", []):
        intent = utterance.get("intent")
        if intent and intent not in kinds:
            kinds.append(intent)
        if intent == "competitor_mention":
            names.update(name for name in competitors if name.lower() in utterance["text"].lower())
    if not kinds:
        raise Failure(f"{timeline_path} predicts no intents; choose a fixture that does")
    return {"kinds": kinds, "competitors": sorted(names), "duration_ms": int(timeline["duration_s"] * 1000),
            "channels": timeline.get("channels", 1)}


def make_wav(fixture, directory):
    """Chromium's fake microphone plays a WAV file; 48 kHz like the fixtures."""
    wav = os.path.join(directory, "call.wav")
    if shutil.which("opusdec"):
        command = ["opusdec", "--quiet", "--rate", "48000", "--force-wav", fixture, wav]
    elif shutil.which("sox"):
        command = ["sox", fixture, "-r", "48000", wav]
    else:
        raise Failure("neither opusdec (opus-tools) nor sox is installed; one is needed to make the WAV")
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0 or not os.path.exists(wav):
        raise Failure(f"{' '.join(command)} failed: {result.stderr.strip()}")
    return wav


class Browser:
    """One headless Chromium with the fixture as its microphone; a fresh one per call, so the file plays
    from its start each time."""

    def __init__(self, chromium, wav, directory):
        self.profile = tempfile.mkdtemp(prefix="chromium-", dir=directory)
        self.log = open(os.path.join(directory, "chromium.log"), "ab")
        self.process = subprocess.Popen([
            chromium, "--headless=new", "--no-sandbox", "--no-first-run", "--no-default-browser-check",
            "--disable-gpu", "--mute-audio", "--autoplay-policy=no-user-gesture-required",
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={wav}%noloop",
            "--remote-debugging-port=0", f"--user-data-dir={self.profile}", "about:blank",
        ], stdout=self.log, stderr=self.log, start_new_session=True)
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.monotonic() + 30
        lines = []
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise Failure(f"chromium exited with {self.process.returncode} before it opened DevTools "
                              f"(see {self.log.name})")
            if os.path.exists(port_file):
                with open(port_file) as handle:
                    lines = handle.read().split()
                if len(lines) == 2:
                    break
            time.sleep(0.1)
        if len(lines) != 2:
            raise Failure("chromium did not write DevToolsActivePort within 30 s")
        self.devtools = DevTools(int(lines[0]), lines[1])

    def close(self):
        try:
            self.devtools.close()
        except Exception:
            pass
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def http_get(url, token):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def click(page, testid):
    found = page.evaluate(f"(() => {{ const b = document.querySelector('[data-testid={testid}]');"
                          f" if (!b || b.disabled) return false; b.click(); return true; }})()", user_gesture=True)
    if not found:
        raise Failure(f"the page has no enabled [data-testid={testid}] to click")


def page_state(page):
    try:
        return page.evaluate(PAGE_STATE)
    except DevToolsError as error:
        return f"(page state unavailable: {error})"


class Run:
    """Everything one test run shares: the gateway, the tokens, where screenshots go."""

    def __init__(self, args, gateway, wav, expected, temp, out):
        self.args, self.gateway, self.wav, self.expected, self.temp, self.out = args, gateway, wav, expected, temp, out
        self.rep_token = gateway.mint("e2e-rep", ["rep"], ["transcript:read"])
        self.admin_token = gateway.mint("e2e-admin", ["admin"])
        self.call_ids = []
        self.report = []
        self.current_page = None

    def note(self, text):
        print(f"  {text}", flush=True)
        self.report.append(text)

    def check_refused_token(self, page):
        """A bad token must be refused with the server's reason, before any stream is tried."""
        page.navigate(f"{self.gateway.base}/#token=not-a-token")
        text = page.wait_for("document.querySelector('[data-testid=sign-in-error]')?.textContent",
                             20, "the sign-in error for a malformed token")
        if "malformed token" not in text:
            raise Failure(f"a malformed token should show the gateway's reason (\"malformed token…\"); "
                          f"the page said: {text!r}")
        if "token=" in page.evaluate("location.href"):
            raise Failure("the token stayed in the address bar after sign-in")
        self.note(f"refused token shows: {text}")
        vector = page.evaluate("import('/web/raw-frame.js').then((m) => [...m.rawFrame(7, 140000, "
                               "new Uint8Array([0xfc, 0xff, 0xfe]))].map((b) => b.toString(16).padStart(2, '0'))"
                               ".join(' '))")
        if vector != RAW_FRAME_VECTOR:
            raise Failure(f"raw-frame.js does not match the protocol's test vector:\n"
                          f"  expected {RAW_FRAME_VECTOR}\n  got      {vector}")
        self.note("raw-frame.js matches the protocol's test vector")

    def call(self, encoder, browser):
        expected = self.expected
        page = Page.open(browser.devtools)
        self.current_page = page
        sent = {"sockets": set(), "binary": []}

        def on_event(message):
            if message.get("sessionId") != page.session:
                return
            params = message.get("params", {})
            if message.get("method") == "Network.webSocketCreated" and "/v1/stream" in params.get("url", ""):
                sent["sockets"].add(params["requestId"])
            elif message.get("method") == "Network.webSocketFrameSent" and params.get("requestId") in sent["sockets"]:
                response = params["response"]
                if response.get("opcode") == 2:
                    sent["binary"].append(base64.b64decode(response["payloadData"]))
        browser.devtools.on_event(on_event)
        page.send("Network.enable")

        if encoder == "webcodecs":
            self.check_refused_token(page)
        resume = encoder == "webcodecs" and not self.args.no_resume
        query = f"?encoder={encoder}" + ("&dev=1" if resume else "")
        page.navigate(f"{self.gateway.base}/{query}#token={self.rep_token}")
        page.wait_for("!document.getElementById('setup').hidden", 20, "the call panel after signing in")
        chosen = page.evaluate("document.querySelector('[data-testid=encoder-note]').dataset.encoder")
        if chosen != encoder:
            raise Failure(f"?encoder={encoder} should choose {encoder}; the page chose {chosen}")
        if encoder == "mediarecorder":
            # Without voice processing the fake device delivers 44.1 kHz stereo: the page must convert.
            page.evaluate("document.querySelector('[data-testid=voice-processing]').click()", user_gesture=True)
        click(page, "start")
        page.wait_for("document.getElementById('connection').dataset.state === 'live'", 20,
                      "the connection to become live")
        container = page.wait_for("document.querySelector('[data-testid=call-facts]').dataset.container", 10,
                                  "the ready message's container")
        want = "raw" if encoder == "webcodecs" else "webm"
        if container != want:
            raise Failure(f"the ready message should say container {want!r}; it said {container!r}")
        call_id = page.evaluate("document.querySelector('[data-testid=call-facts]').dataset.callId")
        self.call_ids.append(call_id)
        capture = page.evaluate("document.querySelector('[data-testid=fact-capture]').textContent")
        self.note(f"{encoder}: call {call_id} live, container {container}, microphone {capture}")

        if resume:
            page.wait_for("Number(document.querySelector('[data-testid=audio-time]')?.dataset.ms ?? 0) >= 6000",
                          30, "6 s of call audio before dropping the connection")
            click(page, "drop-connection")
            page.wait_for("document.querySelector('[data-testid=call-facts]').dataset.resumes === '1'"
                          " && document.getElementById('connection').dataset.state === 'live'", 30,
                          "the call to resume after the dropped connection")
            after = page.evaluate("document.querySelector('[data-testid=fact-resumed_after]').textContent")
            self.note(f"{encoder}: connection dropped on purpose and resumed (resumed_after {after})")

        # The file plays once; the gateway's clock says when all of it has arrived.
        page.wait_for(f"Number(document.querySelector('[data-testid=audio-time]')?.dataset.ms ?? 0) >= "
                      f"{expected['duration_ms'] + 500}", expected["duration_ms"] / 1000 + 60,
                      f"the call's audio time to pass {expected['duration_ms'] / 1000:.1f} s")
        live_kinds = page.evaluate("[...document.querySelectorAll('[data-testid=hint-card]')].map((c) => c.dataset.kind)")
        shown = [kind for kind in expected["kinds"] if kind in live_kinds]
        missed = [kind for kind in expected["kinds"] if kind not in live_kinds]
        self.note(f"{encoder}: live hints {live_kinds}; predicted {expected['kinds']}")
        if not shown:
            raise Failure(f"none of the predicted hints {expected['kinds']} was shown live; the page showed {live_kinds}")
        if missed:
            message = f"predicted hints not shown live: {missed}"
            if not self.args.lenient_live_hints:
                raise Failure(message)
            self.note(f"{encoder}: WARNING {message} (the summary must still list them)")
        if "competitor_mention" in shown and expected["competitors"]:
            named = page.evaluate("[...document.querySelectorAll('[data-kind=competitor_mention] "
                                  "[data-testid=hint-competitor]')].map((n) => n.textContent)")
            if not set(expected["competitors"]) & set(named):
                raise Failure(f"the competitor hint should name {expected['competitors']}; it named {named}")
        page.screenshot(os.path.join(self.out, f"rep-live-{encoder}.png"))

        # The rep's answer to a hint (the newest card) must reach the summary, on that hint.
        used_id = page.evaluate("(() => { const card = document.querySelector('[data-testid=hint-card]');"
                                " card.querySelector('[data-testid=hint-used]').click(); return card.dataset.hintId; })()",
                                user_gesture=True)
        click(page, "stop")
        page.wait_for("document.getElementById('connection').dataset.state === 'ended'", 90,
                      "the gateway's closed message after End call")
        packets = page.evaluate("document.querySelector('[data-testid=fact-packets]').textContent")
        lost = page.evaluate("document.querySelector('[data-testid=fact-lost_packets]').textContent")
        self.note(f"{encoder}: closed with {packets} packets, {lost} lost")
        if resume and lost != "0":
            raise Failure(f"a resumed WebCodecs call should lose no packets; closed said lost_packets {lost}")

        status, content_type, body = http_get(f"{self.gateway.base}/v1/calls/{call_id}/recording", self.rep_token)
        if status != 200 or not body.startswith(b"OggS") or len(body) < 20_000:
            raise Failure(f"GET /v1/calls/{call_id}/recording should answer 200 with Ogg Opus audio; it answered "
                          f"{status} {content_type} with {len(body)} bytes: {body[:120]!r}")
        with open(os.path.join(self.temp, f"recording-{encoder}.ogg"), "wb") as handle:
            handle.write(body)
        _, _, listing = http_get(f"{self.gateway.base}/v1/calls/{call_id}", self.rep_token)
        recording = json.loads(listing).get("recording") or {}
        self.note(f"{encoder}: recording {len(body)} bytes of {content_type}, {recording.get('parts')} part(s), "
                  f"{recording.get('duration_ms')} ms")

        state = page.wait_for("(() => { const s = document.querySelector('[data-testid=summary-state]').dataset.state;"
                              " return s === 'pending' ? '' : s; })()", self.args.summary_timeout, "the call summary")
        if state != "ready":
            raise Failure(f"the summary should show; the page said: "
                          f"{page.evaluate('document.querySelector(`[data-testid=summary-state]`).textContent')}")
        intents = page.evaluate("[...document.querySelectorAll('[data-testid=summary-intent]')].map((n) => "
                                "({kind: n.dataset.kind, text: n.textContent}))")
        summary_kinds = [intent["kind"] for intent in intents]
        absent = [kind for kind in expected["kinds"] if kind not in summary_kinds]
        if absent:
            raise Failure(f"the summary on the page should list the intents {expected['kinds']}; it lists "
                          f"{summary_kinds}")
        for name in expected["competitors"]:
            if not any(i["kind"] == "competitor_mention" and name in i["text"] for i in intents):
                raise Failure(f"the summary's competitor mention should name {name}: {intents}")
        feedback = page.evaluate(f"document.querySelector('[data-testid=summary-hint][data-hint-id=\"{used_id}\"] "
                                 f".feedback-tag')?.textContent")
        if feedback != "Used":
            raise Failure(f"hint {used_id} was marked Used; the summary shows it as {feedback!r}")
        self.note(f"{encoder}: summary shows intents {summary_kinds} and the hint marked Used")
        page.evaluate("document.getElementById('summary-section').scrollIntoView()")
        page.screenshot(os.path.join(self.out, f"rep-summary-{encoder}.png"))
        page.set_size(400, 800)
        page.screenshot(os.path.join(self.out, f"rep-summary-narrow-{encoder}.png"))

        if encoder == "webcodecs" and sent["binary"] and sent["binary"][0][:4] != bytes([0x45, 0x50, 1, 0]):
            raise Failure(f"the WebCodecs run's first frame should start 45 50 01 00; it starts {sent['binary'][0][:4].hex()}")
        if encoder == "mediarecorder":
            webm = b"".join(sent["binary"])
            if not webm.startswith(bytes([0x1A, 0x45, 0xDF, 0xA3])):
                raise Failure(f"the MediaRecorder run should send WebM (1A 45 DF A3); it sent {webm[:8].hex()}")
            if self.args.save_webm:
                with open(self.args.save_webm, "wb") as handle:
                    handle.write(webm)
                self.note(f"mediarecorder: wrote {len(webm)} bytes of WebM ({len(sent['binary'])} messages) "
                          f"to {self.args.save_webm}")
        if page.exceptions:
            raise Failure(f"the page threw: {page.exceptions}")

    def admin(self, browser):
        page = Page.open(browser.devtools)
        self.current_page = page
        page.navigate(f"{self.gateway.base}/admin#token={self.admin_token}")
        page.wait_for("!document.getElementById('admin').hidden", 20, "the admin page after signing in")
        page.wait_for("document.querySelector('[data-testid=audio-days]').value !== ''", 20, "the retention policy")
        page.wait_for("document.querySelector('[data-testid=dead-jobs-table]').children.length > 0"
                      " || document.querySelector('[data-testid=jobs-error]').textContent", 20, "the dead-jobs section")
        jobs_error = page.evaluate("document.querySelector('[data-testid=jobs-error]').textContent")
        if jobs_error:
            raise Failure(f"the dead-jobs section shows a refusal: {jobs_error}")
        page.wait_for("document.querySelectorAll('[data-testid=audit-table] tbody tr').length > 0", 20,
                      "audit log rows")
        listed = page.wait_for("[...document.querySelectorAll('[data-testid=calls-table] tr[data-call-id]')]"
                               ".map((row) => row.dataset.callId)", 20, "the calls list")
        missing = [call for call in self.call_ids if call not in listed]
        if missing:
            raise Failure(f"the calls list should include the test's calls {missing}; it lists {listed}")

        # Change the retention and place a legal hold through the page, then read both back over REST.
        page.evaluate("(() => { document.querySelector('[data-testid=audio-days]').value = '31';"
                      " document.querySelector('[data-testid=retention-save]').click(); })()", user_gesture=True)
        page.wait_for("document.querySelector('[data-testid=retention-result]').textContent", 20, "the retention save")
        status, _, body = http_get(f"{self.gateway.base}/v1/admin/retention", self.admin_token)
        if json.loads(body).get("audio_days") != 31:
            raise Failure(f"saving 31 audio days on the page should change the policy; GET says {body!r}")
        page.evaluate("(() => { document.querySelector('[data-testid=audio-days]').value = '0';"
                      " document.querySelector('[data-testid=retention-save]').click(); })()", user_gesture=True)
        refusal = page.wait_for("document.querySelector('[data-testid=retention-error]').textContent", 20,
                                "the refusal of 0 audio days")
        if "audio_days must be" not in refusal:
            raise Failure(f"0 audio days should show the gateway's reason; the page said {refusal!r}")
        self.note(f"admin: retention saved (31 days) and a refusal shown: {refusal}")
        target = self.call_ids[0]
        page.evaluate(f"document.querySelector('tr[data-call-id=\"{target}\"] [data-testid=hold-toggle]').click()",
                      user_gesture=True)
        page.wait_for(f"document.querySelector('tr[data-call-id=\"{target}\"]')?.dataset.legalHold === 'true'", 20,
                      "the legal hold to be placed")
        status, _, body = http_get(f"{self.gateway.base}/v1/calls/{target}", self.admin_token)
        if not json.loads(body).get("legal_hold"):
            raise Failure(f"the hold placed on the page should show over REST; GET /v1/calls/{target} says {body!r}")
        self.note(f"admin: legal hold placed on {target}; dead jobs, audit log and calls shown")
        page.evaluate("document.querySelector('[data-testid=audit-log] button[type=submit]').click()", user_gesture=True)
        time.sleep(1)
        page.screenshot(os.path.join(self.out, "admin.png"))
        page.set_size(400, 800)
        page.screenshot(os.path.join(self.out, "admin-narrow.png"))
        if page.exceptions:
            raise Failure(f"the admin page threw: {page.exceptions}")


def main():
    args = parse_arguments()
    started = time.monotonic()
    temp = tempfile.mkdtemp(prefix="earpiece-e2e-")
    out = os.path.abspath(args.out) if args.out else os.path.join(temp, "screenshots")
    os.makedirs(out, exist_ok=True)
    fixture = os.path.abspath(args.fixture or os.path.join(args.repo, "Fixtures", "calls", "mono-call.opus"))
    gateway = None
    browser = None
    run = None
    failed = None
    try:
        for tool, path in (("earpiece", args.binary), ("chromium", args.chromium)):
            if not os.access(path, os.X_OK):
                raise Failure(f"{tool} not found or not executable at {path}")
        expected = expectations(fixture, os.path.join(args.repo, "Models", "playbook.json"))
        print(f"fixture {os.path.basename(fixture)}: predicts {expected['kinds']}"
              + (f", competitor {expected['competitors']}" if expected["competitors"] else ""), flush=True)
        wav = make_wav(fixture, temp)
        gateway = GatewayProcess(args.binary, args.repo, temp, args.web_root)
        print(f"gateway on {gateway.base}", flush=True)
        run = Run(args, gateway, wav, expected, temp, out)
        encoders = [name.strip() for name in args.encoders.split(",") if name.strip()]
        for encoder in encoders:
            if encoder not in ("webcodecs", "mediarecorder"):
                raise Failure(f"unknown encoder {encoder!r}")
            print(f"{encoder}:", flush=True)
            step = time.monotonic()
            browser = Browser(args.chromium, wav, temp)
            run.call(encoder, browser)
            if encoder != encoders[-1]:
                browser.close()
                browser = None
            print(f"  {encoder} passed in {time.monotonic() - step:.0f} s", flush=True)
        print("admin:", flush=True)
        if browser is None:
            browser = Browser(args.chromium, wav, temp)
        run.admin(browser)
    except (Failure, DevToolsError) as error:
        failed = error
    except Exception as error:  # an unexpected fault still gets the page and server context below
        failed = Failure(f"{type(error).__name__}: {error}")
    finally:
        page = run.current_page if run else None
        if failed is not None:
            print(f"\nFAILED: {failed}", file=sys.stderr)
            if page is not None:
                print(f"page state: {page_state(page)}", file=sys.stderr)
                if page.console:
                    print("page console:\n  " + "\n  ".join(page.console[-20:]), file=sys.stderr)
            if gateway is not None:
                print("gateway log (last 40 lines):\n" + gateway.log_tail(40), file=sys.stderr)
        if browser is not None:
            browser.close()
        if gateway is not None:
            gateway.stop()
        if args.keep_temp or failed is not None:
            print(f"temporary files kept in {temp}", file=sys.stderr)
        else:
            shutil.rmtree(temp, ignore_errors=True)
    elapsed = time.monotonic() - started
    if failed is not None:
        print(f"e2e failed after {elapsed:.0f} s", file=sys.stderr)
        return 1
    if args.out:
        print(f"screenshots in {out}")
    print(f"e2e passed in {elapsed:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
