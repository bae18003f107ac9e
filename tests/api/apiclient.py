"""A client for rvmm's control API: HTTP/1.1 over a unix socket with
Python's http.client, as curl --unix-socket does. Stdlib only."""
import http.client
import json
import os
import socket
import time


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=60):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(self.timeout)
        s.connect(self.unix_path)
        self.sock = s


class Api:
    def __init__(self, path):
        self.path = path

    def wait_ready(self, proc=None, timeout=30):
        """Waits until the socket accepts connections."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc is not None and proc.poll() is not None:
                raise EOFError("rvmm exited with %d before serving the API" % proc.returncode)
            if os.path.exists(self.path):
                try:
                    self.call("GET", "/")
                    return
                except OSError:
                    pass
            time.sleep(0.05)
        raise TimeoutError("no API on " + self.path)

    def call(self, method, path, body=None, raw=None, timeout=60):
        """Returns (status, parsed JSON body or None, headers). `body` is
        sent as JSON; `raw` (bytes or str) as is."""
        conn = UnixHTTPConnection(self.path, timeout)
        try:
            data = raw if raw is not None else (json.dumps(body) if body is not None else None)
            headers = {"Content-Type": "application/json"} if data is not None else {}
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            text = resp.read()
            parsed = json.loads(text) if text else None
            return resp.status, parsed, dict(resp.getheaders())
        finally:
            conn.close()

    def get(self, path):
        status, body, _ = self.call("GET", path)
        return status, body

    def put(self, path, body=None, raw=None):
        status, body, _ = self.call("PUT", path, body, raw)
        return status, body

    def patch(self, path, body):
        status, body, _ = self.call("PATCH", path, body)
        return status, body
