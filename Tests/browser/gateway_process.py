"""The gateway under test: `earpiece serve` on a free port with its own data directory, and its tokens."""
import collections
import os
import re
import subprocess
import threading
import time


class GatewayError(Exception):
    pass


class GatewayProcess:
    def __init__(self, binary, repo, directory, web_root=None, timeout=60):
        self.binary = binary
        self.data_dir = os.path.join(directory, "data")
        self.log_path = os.path.join(directory, "gateway.log")
        self.lines = collections.deque(maxlen=2000)
        env = dict(os.environ)
        env["EARPIECE_MODELS_DIR"] = os.path.join(repo, "Models")
        if web_root:
            env["EARPIECE_WEB_ROOT"] = os.path.abspath(web_root)
        else:
            env.pop("EARPIECE_WEB_ROOT", None)
        # Port 0: the gateway binds a free port and prints it, so parallel runs never collide.
        self.process = subprocess.Popen(
            [binary, "serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", self.data_dir],
            cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        self.port = None
        self.ready = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        if not self.ready.wait(timeout) or self.port is None:
            self.stop()
            raise GatewayError(f"the gateway did not say where it listens within {timeout} s:\n{self.log_tail(30)}")
        self.base = f"http://127.0.0.1:{self.port}"

    def _read(self):
        with open(self.log_path, "ab") as log:
            for raw in self.process.stdout:
                log.write(raw)
                log.flush()
                line = raw.decode(errors="replace").rstrip("\n")
                self.lines.append(line)
                found = re.search(r"listening on http://[^:\s]+:(\d+)", line)
                if found and self.port is None:
                    self.port = int(found.group(1))
                    self.ready.set()
        self.ready.set()

    def mint(self, user, roles, scopes=(), ttl="1h"):
        command = [self.binary, "token", "--data-dir", self.data_dir, "--org", "e2e-org", "--env", "dev",
                   "--user", user, "--ttl", ttl]
        for role in roles:
            command += ["--role", role]
        for scope in scopes:
            command += ["--scope", scope]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise GatewayError(f"earpiece token failed: {result.stderr.strip()}")
        return result.stdout.strip()

    def log_tail(self, count):
        return "\n".join(list(self.lines)[-count:])

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.reader.join(5)
