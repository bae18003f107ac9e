"""Drives a VM's serial console from a test: start rvmm (or QEMU), wait for
text, type commands, read answers. Stdlib only; every wait has a deadline."""
import os
import re
import select
import socket
import subprocess
import time

PROMPT = "~ # "
# A kernel message on the console, also one that cut into a line of output.
KERNEL_LINE = re.compile(r"\[ *\d+\.\d{6}\] [^\n]*(?:\n|$)")


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Console:
    def __init__(self, argv, log_path=None):
        self.argv = argv
        self.buf = ""
        self.log = open(log_path, "w") if log_path else None
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, bufsize=0)

    def _read(self, timeout):
        r, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not r:
            return False
        data = os.read(self.proc.stdout.fileno(), 65536)
        if not data:
            return None
        text = data.decode("utf-8", "replace")
        self.buf += text
        if self.log:
            self.log.write(text)
            self.log.flush()
        return True

    def expect(self, pattern, timeout=60):
        """Waits for regex `pattern`; returns the match and drops text up to it."""
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern)
        while True:
            m = rx.search(self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return m
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("timed out waiting for %r; tail: %r" % (pattern, self.buf[-300:]))
            if self._read(min(left, 0.5)) is None:
                raise EOFError("console closed waiting for %r; tail: %r" % (pattern, self.buf[-300:]))

    def send(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def run(self, cmd, timeout=60):
        """Runs a shell command and returns its output (between the echoed
        command line and the next prompt). Kernel messages the console
        printed meanwhile (a loaded host makes the guest warn, e.g. "hrtimer:
        interrupt took ...") are not the command's: their lines are dropped,
        so ask dmesg through a filter (grep -c) rather than raw."""
        # The marker is typed split by quotes so the shell's echo of the
        # command line never matches it; only the command's output does.
        n = int(time.monotonic() * 1000)
        marker = "__rvmm_done_%d__" % n
        self.send('%s; echo __rvmm_""done_%d__\n' % (cmd, n))
        m = self.expect(r"([\s\S]*?)" + re.escape(marker), timeout)
        text = m.group(1).replace("\r", "")
        text = text.replace(PROMPT, "")
        text = "".join(KERNEL_LINE.split(text))
        return text.strip("\n")

    def boot_to_shell(self, timeout=240):
        """Waits for the guest's banner, gets a prompt, turns echo off."""
        self.expect(r"rvmm guest ready", timeout)
        self.send("\n")
        self.expect(PROMPT, 60)
        self.quiet()

    def quiet(self):
        """Turns off terminal echo so run() sees only command output."""
        self.send('stty -echo; echo __rvmm_""quiet__\n')
        self.expect("__rvmm_quiet__", 30)

    def wait_exit(self, timeout=60):
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            if self._read(0.2) is None:
                break
        try:
            return self.proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            return None

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.log:
            self.log.close()
            self.log = None
