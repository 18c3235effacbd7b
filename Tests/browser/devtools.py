"""A small client for the Chrome DevTools protocol over its WebSocket, standard library only.

The WebSocket part is the client side of RFC 6455 that the protocol needs: a handshake, masked text frames
out, text frames in (fragmented or not), pings answered. One reader thread turns incoming messages into
command results and events.
"""
import base64
import json
import os
import socket
import struct
import threading
import time


class DevToolsError(Exception):
    pass


class WebSocketClient:
    def __init__(self, host, port, path, timeout=10):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise DevToolsError("the DevTools socket closed during the handshake")
            head += chunk
        status = head.split(b"\r\n", 1)[0]
        if b" 101 " not in status:
            raise DevToolsError(f"DevTools refused the WebSocket: {status.decode(errors='replace')}")
        self.sock.settimeout(None)
        self.send_lock = threading.Lock()

    def send_text(self, text):
        self._send(0x1, text.encode())

    def _send(self, opcode, payload):
        mask = os.urandom(4)
        n = len(payload)
        if n < 126:
            head = struct.pack(">BB", 0x80 | opcode, 0x80 | n)
        elif n < 65536:
            head = struct.pack(">BBH", 0x80 | opcode, 0x80 | 126, n)
        else:
            head = struct.pack(">BBQ", 0x80 | opcode, 0x80 | 127, n)
        masked = bytearray(payload)
        for i in range(n):
            masked[i] ^= mask[i & 3]
        with self.send_lock:
            self.sock.sendall(head + mask + bytes(masked))

    def _exactly(self, n):
        data = bytearray()
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise EOFError("socket closed")
            data += chunk
        return bytes(data)

    def receive(self):
        """The next whole message's text, or None when the socket closes."""
        try:
            return self._receive()
        except (EOFError, OSError):
            # Closed by us or by the browser: either way there is nothing more to read.
            return None

    def _receive(self):
        parts = []
        while True:
            first, second = self._exactly(2)
            opcode = first & 0x0F
            n = second & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._exactly(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._exactly(8))[0]
            payload = self._exactly(n)
            if opcode == 0x8:
                return None
            if opcode == 0x9:
                self._send(0xA, payload)
                continue
            if opcode in (0x1, 0x0):
                parts.append(payload)
                if first & 0x80:
                    return b"".join(parts).decode()

    def close(self):
        try:
            self._send(0x8, struct.pack(">H", 1000))
        except OSError:
            pass
        try:
            self.sock.close()
        except OSError:
            pass


class DevTools:
    """One browser connection; commands to a page go through its flat session id."""

    def __init__(self, port, path):
        self.ws = WebSocketClient("127.0.0.1", port, path)
        self.next_id = 0
        self.results = {}
        self.events = []
        self.listeners = []
        self.cond = threading.Condition()
        self.closed = False
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            text = self.ws.receive()
            if text is None:
                with self.cond:
                    self.closed = True
                    self.cond.notify_all()
                return
            message = json.loads(text)
            with self.cond:
                if "id" in message:
                    self.results[message["id"]] = message
                else:
                    self.events.append(message)
                    for listener in self.listeners:
                        listener(message)
                self.cond.notify_all()

    def send(self, method, params=None, session=None, timeout=30):
        with self.cond:
            self.next_id += 1
            command_id = self.next_id
        message = {"id": command_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.ws.send_text(json.dumps(message))
        deadline = time.monotonic() + timeout
        with self.cond:
            while command_id not in self.results:
                left = deadline - time.monotonic()
                if left <= 0 or self.closed:
                    raise DevToolsError(f"{method}: no answer from the browser")
                self.cond.wait(left)
            answer = self.results.pop(command_id)
        if "error" in answer:
            raise DevToolsError(f"{method}: {answer['error'].get('message')}")
        return answer.get("result", {})

    def on_event(self, listener):
        with self.cond:
            self.listeners.append(listener)

    def close(self):
        self.ws.close()


class Page:
    """A tab: navigate it and evaluate script in it."""

    def __init__(self, devtools, session):
        self.devtools = devtools
        self.session = session
        self.console = []
        self.exceptions = []
        devtools.on_event(self._event)

    @classmethod
    def open(cls, devtools, width=1280, height=800):
        target = devtools.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = devtools.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = cls(devtools, session)
        page.send("Page.enable")
        page.send("Runtime.enable")
        page.set_size(width, height)
        return page

    def _event(self, message):
        if message.get("sessionId") != self.session:
            return
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.consoleAPICalled":
            text = " ".join(str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", []))
            self.console.append(f"{params.get('type')}: {text}")
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            self.exceptions.append(details.get("exception", {}).get("description") or details.get("text"))

    def send(self, method, params=None, timeout=30):
        return self.devtools.send(method, params, session=self.session, timeout=timeout)

    def set_size(self, width, height):
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    def navigate(self, url):
        self.send("Page.navigate", {"url": url})

    def evaluate(self, expression, user_gesture=False, await_promise=True):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": await_promise, "userGesture": user_gesture})
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise DevToolsError(f"script failed: {details.get('exception', {}).get('description') or details.get('text')}")
        return result.get("result", {}).get("value")

    def wait_for(self, expression, timeout, what, poll=0.25):
        """Polls until the expression is truthy; returns its value, or raises naming what was awaited."""
        deadline = time.monotonic() + timeout
        last_error = None
        while time.monotonic() < deadline:
            try:
                value = self.evaluate(expression)
                if value:
                    return value
            except DevToolsError as error:
                last_error = error
            time.sleep(poll)
        raise DevToolsError(f"timed out after {timeout:.0f} s waiting for {what}" + (f" ({last_error})" if last_error else ""))

    def screenshot(self, path, full_page=True):
        params = {"format": "png"}
        if full_page:
            metrics = self.send("Page.getLayoutMetrics")
            size = metrics.get("cssContentSize") or metrics.get("contentSize")
            params["clip"] = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
            params["captureBeyondViewport"] = True
        data = self.send("Page.captureScreenshot", params)["data"]
        with open(path, "wb") as out:
            out.write(base64.b64decode(data))
