"""Boot time of one guest started the two ways Firecracker's clients start
it: `--config-file F --no-api` (Kata) against `--api-sock S` plus the
machine-config, boot-source and InstanceStart requests (the SDKs). Host wall
time from process start to `rvmm guest ready` and the first prompt,
alternating the two each round. Env: RVMM, BENCH_ROUNDS (default 5),
RVMM_CACHE (the guest images). Prints one line per round and the medians."""
import json
import os
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "guest"))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "api"))
from apiclient import Api  # noqa: E402
from console import Console  # noqa: E402

RVMM = os.path.abspath(os.environ.get("RVMM", "build/rvmm"))
CACHE = os.environ.get("RVMM_CACHE", os.path.expanduser("~/.cache/rvmm"))
KERNEL = os.path.join(CACHE, "guest", "Image")
INITRD = os.path.join(CACHE, "guest", "initramfs.cpio.gz")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
MACHINE = {"vcpu_count": 1, "mem_size_mib": 256}
BOOT = {"kernel_image_path": KERNEL, "initrd_path": INITRD, "boot_args": "console=ttyS0"}


def to_shell(con):
    con.expect(r"rvmm guest ready", 300)
    con.send("\n")
    con.expect(r"~ # ", 60)


def config_file(tmp):
    path = os.path.join(tmp, "vm.json")
    json.dump({"machine-config": MACHINE, "boot-source": BOOT}, open(path, "w"))
    t0 = time.monotonic()
    con = Console([RVMM, "--config-file", path, "--no-api"])
    try:
        to_shell(con)
        return time.monotonic() - t0
    finally:
        con.kill()


def api_path(tmp):
    sock = os.path.join(tmp, "b.sock")
    t0 = time.monotonic()
    con = Console([RVMM, "--api-sock", sock])
    try:
        api = Api(sock)
        api.wait_ready(con.proc)
        for path, body in [("/machine-config", MACHINE), ("/boot-source", BOOT),
                           ("/actions", {"action_type": "InstanceStart"})]:
            status, reply = api.put(path, body)
            if status != 204:
                raise RuntimeError("%s: %s %r" % (path, status, reply))
        to_shell(con)
        return time.monotonic() - t0
    finally:
        con.kill()


def main():
    runs = {"config-file --no-api": [], "api-sock + requests": []}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(ROUNDS):
            order = [config_file, api_path] if r % 2 == 0 else [api_path, config_file]
            for fn in order:
                name = "config-file --no-api" if fn is config_file else "api-sock + requests"
                t = fn(tmp)
                runs[name].append(t)
                print("round %d %-22s %.2f s" % (r + 1, name, t))
    for name, ts in runs.items():
        print("median %-22s %.2f s (min %.2f, max %.2f)" % (name, statistics.median(ts), min(ts),
                                                            max(ts)))


if __name__ == "__main__":
    main()
