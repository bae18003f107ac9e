"""rvmm as a drop-in for Firecracker's clients (issue 18), against real guests:
- the contract: every request of tests/api/fc/requests.json (Firecracker's
  examples and enum values) answered with the status it lists, 400s naming
  the field, and responses checked against tests/api/fc/schema.json;
- the start lines of the clients exactly as they launch the VMM:
  firecracker-go-sdk `--api-sock S --id X --no-seccomp`, firecracker-python
  `--id X --log-path P`, Kata `--version` (parsed as Kata parses it) and
  `--config-file F --no-api`, each reaching a running guest;
- FlushMetrics appends one JSON line whose counters equal GET /stats;
- PATCH /drives swaps a running drive's image: the guest sees the new size
  (config-change interrupt) and reads the new contents;
- GET /vm/config after PUT /snapshot/load describes the restored VM;
- 12 drives plus a NIC and an rng (15 virtio-mmio slots) boot Linux.
One PASS/FAIL line per check. Env: RVMM, GUEST_KERNEL, GUEST_INITRD, BUILD."""
import json
import os
import stat
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "guest"))
import schema  # noqa: E402
from apiclient import Api  # noqa: E402
from console import Console  # noqa: E402

RVMM = os.environ.get("RVMM", "build/rvmm")
KERNEL = os.path.abspath(os.environ["GUEST_KERNEL"])
INITRD = os.path.abspath(os.environ["GUEST_INITRD"])
LOGDIR = os.environ.get("BUILD", "build") + "/guest-logs"
HERE = os.path.dirname(os.path.abspath(__file__))

results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    print("%s fc/%s%s" % ("PASS" if ok else "FAIL", name, "" if ok else ": " + str(detail)[:400]))
    sys.stdout.flush()


def wait_for(pred, timeout, what):
    """Polls pred() (a file growing, a state) until it holds: an event, not a sleep."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(0.1)
    raise TimeoutError(what)


def guest_lines(text):
    """A command's output lines without kernel messages printed meanwhile."""
    return [x.strip() for x in text.splitlines()
            if x.strip() and not re.match(r"\s*\[\s*\d+\.\d+\]", x)]


def fill(value, subst):
    if isinstance(value, str):
        for k, v in subst.items():
            value = value.replace(k, v)
        return value
    if isinstance(value, list):
        return [fill(v, subst) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, subst) for k, v in value.items()}
    return value


def file_image(path, size, head):
    with open(path, "wb") as f:
        f.write(head)
        f.truncate(size)
    return path


def contract(tmp):
    """firecracker-go-sdk's start line, then the fixture requests in order."""
    sock = os.path.join(tmp, "fc.sock")
    proc = subprocess.Popen([RVMM, "--api-sock", sock, "--id", "contract-vm", "--no-seccomp"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=open(os.path.join(LOGDIR, "fc-contract.err"), "w"))
    api = Api(sock)
    subst = {"@KERNEL": KERNEL, "@INITRD": INITRD, "@TMP": tmp,
             "@DISK": file_image(os.path.join(tmp, "rootfs.img"), 1 << 20, b"root"),
             "@DATA": file_image(os.path.join(tmp, "data.img"), 1 << 20, b"data")}
    try:
        api.wait_ready(proc)
        cases = json.load(open(os.path.join(HERE, "fc", "requests.json")))["cases"]
        bad = []
        for k, c in enumerate(cases):
            body = fill(c.get("body"), subst)
            status, reply, _ = api.call(c["method"], c["path"], body if "body" in c else None)
            where = "#%d %s %s %s" % (k, c["method"], c["path"], json.dumps(c.get("body"))[:120])
            if status != c["status"]:
                bad.append("%s: %s %r (want %s)" % (where, status, reply, c["status"]))
                continue
            if status >= 400:
                problems = schema.check(reply, "Error")
                if not problems and c.get("names") and c["names"] not in reply["fault_message"]:
                    problems = ["fault_message does not name %r: %r" % (c["names"], reply)]
            elif status == 200:
                problems = schema.check(reply, c["schema"])
                for key, want in c.get("expect", {}).items():
                    if reply.get(key) != want:
                        problems.append("%s = %r, want %r" % (key, reply.get(key), want))
            else:
                problems = [] if reply is None else ["204 with a body %r" % reply]
            if problems:
                bad.append("%s: %s" % (where, problems))
        check("schema_checker_rejects_bad_shapes", schema.self_test())
        check("contract_%d_requests" % len(cases), not bad, bad[:3])
        _, info = api.get("/")
        check("go_sdk_id_in_instance_info", info.get("id") == "contract-vm", info)
        _, cfg = api.get("/vm/config")
        d = {x["drive_id"]: x for x in cfg.get("drives", [])}
        check("vm_config_echoes_enums", d.get("rootfs", {}).get("cache_type") == "Writeback" and
              d["rootfs"].get("io_engine") == "Async" and "entropy" in cfg and
              cfg["metrics"]["metrics_path"].endswith("fc.metrics") and
              cfg["machine-config"]["huge_pages"] == "Transparent", cfg)
        serial = os.path.join(tmp, "serial.out")
        # PUT /serial sent the guest's console to the file.
        wait_for(lambda: "rvmm guest ready" in open(serial, errors="replace").read(), 240,
                 "no guest banner in serial_out_path")
        check("serial_out_path_gets_console", True)
        check("go_sdk_line_running", api.get("/")[1].get("state") == "Running")
        text = open(os.path.join(tmp, "fc.log")).read()
        check("logger_lines_name_instance_and_level",
              re.search(r"^\d{4}-\d\d-\d\dT[\d:.]+ \[contract-vm:[^:\]]+:Info\] PUT /actions: 204",
                        text, re.M), text[-600:])
        flush_matches_stats(api, os.path.join(tmp, "fc.metrics"))
        status, body = api.patch("/network-interfaces/eth0", {"iface_id": "eth0",
                                                             "rx_rate_limiter": None})
        check("patch_net_null_limiter", status == 204, (status, body))
        status, body = api.patch("/network-interfaces/nope", {"iface_id": "nope"})
        check("patch_net_unknown_iface", status == 400, (status, body))
        status, body = api.patch("/drives/data", {"drive_id": "data", "rate_limiter":
                                                  {"ops": {"size": 1000, "refill_time": 1}}})
        status2, cfg = api.get("/vm/config")
        d = {x["drive_id"]: x for x in cfg.get("drives", [])} if status2 == 200 else {}
        check("patch_drive_rate_limiter", status == 204 and
              d.get("data", {}).get("rate_limiter") == {"ops": {"size": 1000, "refill_time": 1}},
              (status, body, d.get("data")))
        status, body = api.patch("/drives/data", {"drive_id": "data", "rate_limiter":
                                                  {"ops": {"size": 1}}})
        check("patch_drive_rate_limiter_refused", status == 400 and
              "rate_limiter" in body["fault_message"], (status, body))
        status, body = api.patch("/drives/nope", {"drive_id": "nope", "path_on_host": subst["@DATA"]})
        check("patch_drive_unknown_id", status == 400, (status, body))
        status, body = api.put("/logger", {"log_path": os.path.join(tmp, "no-such-dir", "x")})
        check("logger_bad_path", status == 400, (status, body))
    except (TimeoutError, EOFError, OSError, KeyError, TypeError, ValueError) as e:
        check("contract", False, repr(e))
    finally:
        proc.kill()
        proc.wait()


def flush_matches_stats(api, metrics_path):
    """Paused, the counters hold still: the FlushMetrics line and GET /stats
    must then agree on every counter."""
    status, _ = api.patch("/vm", {"state": "Paused"})
    check("pause_for_metrics", status == 204, status)
    before = open(metrics_path).read().splitlines()
    status, body = api.put("/actions", {"action_type": "FlushMetrics"})
    after = open(metrics_path).read().splitlines()
    _, stats = api.get("/stats")
    # The 60 s metrics tick may add a line of its own while paused: every
    # line of the paused window must then hold the same counters.
    new = [json.loads(x) for x in after[len(before):]]
    check("flush_metrics_appends_a_line", status == 204 and 1 <= len(new) <= 2,
          (status, body, len(before), len(after)))
    stamps = [x.pop("utc_timestamp_ms", None) for x in new]
    # "memory" is the process's RSS/PSS, measured at each read: not a counter.
    stats.pop("memory", None)
    for x in new:
        x.pop("memory", None)
    check("metrics_line_has_timestamp", stamps and all(isinstance(t, int) and
          abs(t / 1000 - time.time()) < 60 for t in stamps), stamps)
    check("metrics_line_matches_stats", new and all(x == stats for x in new) and
          stats["instret"] > 0, [k for k in stats if new and new[-1].get(k) != stats[k]])
    status, _ = api.patch("/vm", {"state": "Resumed"})
    check("resume_after_metrics", status == 204, status)


def python_sdk_line(tmp):
    """firecracker-python's line: no socket, the default guest, a log file."""
    cache = os.path.dirname(os.path.dirname(KERNEL))
    if not (os.path.basename(KERNEL) == "Image" and
            os.path.exists(os.path.join(cache, "guest", "initramfs.cpio.gz"))):
        check("python_sdk_line", False, "GUEST_KERNEL is not $RVMM_CACHE/guest/Image")
        return
    log = os.path.join(tmp, "py.log")
    saved = os.environ.get("RVMM_CACHE")
    os.environ["RVMM_CACHE"] = cache  # rvmm with no machine options boots the cache's guest
    try:
        con = Console([RVMM, "--id", "py-vm-1", "--log-path", log], "%s/fc-python.log" % LOGDIR)
    finally:
        if saved is None:
            del os.environ["RVMM_CACHE"]
        else:
            os.environ["RVMM_CACHE"] = saved
    try:
        con.boot_to_shell()
        out = con.run("echo $((6*7))")
        check("python_sdk_line_reaches_guest", out == "42", out)
        con.send("poweroff -f\n")
        code = con.wait_exit(60)
        check("python_sdk_line_exit_status", code == 0, code)
        text = open(log).read()
        check("python_sdk_log_names_instance", "[py-vm-1:" in text and "rvmm exiting" in text,
              text[-400:])
    except (TimeoutError, EOFError, OSError) as e:
        check("python_sdk_line", False, repr(e))
    finally:
        con.kill()


def kata_version():
    out = subprocess.run([RVMM, "--version"], capture_output=True, text=True, timeout=30)
    # As Kata's firecracker driver: first line, second space-separated field, minus "v".
    fields = out.stdout.split("\n")[0].split(" ")
    ver = fields[1].strip().lstrip("v") if len(fields) > 1 else ""
    parts = [int(x) for x in ver.split(".")] if re.fullmatch(r"\d+\.\d+\.\d+", ver) else None
    check("kata_version_parses", out.returncode == 0 and parts and parts >= [0, 21, 1],
          (out.returncode, out.stdout))


def config_file_line(tmp):
    """Kata's --config-file F --no-api: 12 drives (Kata attaches 9), a NIC,
    an rng, logger and metrics, all from the file; the guest boots."""
    drives = [{"drive_id": "rootfs", "path_on_host": file_image(os.path.join(tmp, "cf0.img"),
              1 << 20, b"zero"), "is_root_device": True, "is_read_only": True}]
    for n in range(1, 12):
        drives.append({"drive_id": "d%d" % n, "is_root_device": False, "is_read_only": False,
                       "path_on_host": file_image(os.path.join(tmp, "cf%d.img" % n),
                                                  (n + 1) << 20, b"disk%d" % n),
                       "cache_type": "Writeback", "io_engine": "Sync", "rate_limiter": None})
    cfg = {"boot-source": {"kernel_image_path": KERNEL, "initrd_path": INITRD,
                           "boot_args": "console=ttyS0"},
           "machine-config": {"vcpu_count": 2, "mem_size_mib": 256},
           "drives": drives,
           "network-interfaces": [{"iface_id": "eth0", "user_mode": True, "mtu": 1280}],
           "entropy": {},
           "vsock": {"guest_cid": 3, "uds_path": os.path.join(tmp, "cf-v.sock")},
           "logger": {"log_path": os.path.join(tmp, "cf.log"), "level": "Debug"},
           "metrics": {"metrics_path": os.path.join(tmp, "cf.metrics")}}
    path = os.path.join(tmp, "vm.json")
    json.dump(cfg, open(path, "w"))
    con = Console([RVMM, "--config-file", path, "--no-api"], "%s/fc-config-file.log" % LOGDIR)
    try:
        con.boot_to_shell()
        out = con.run("ls /sys/block | grep -c vd; nproc; test -e /dev/hwrng && echo rng; "
                      "head -c 6 /dev/vdl; echo; cat /sys/block/vdl/size; "
                      "test -c /dev/vsock && echo vsock; cat /sys/class/net/eth0/mtu")
        check("config_file_machine_in_guest",
              guest_lines(out) == ["12", "2", "rng", "disk11", str(12 << 11), "vsock", "1280"], out)
        check("config_file_vsock_socket", stat.S_ISSOCK(os.stat(os.path.join(tmp, "cf-v.sock")).st_mode))
        con.send("poweroff -f\n")
        code = con.wait_exit(60)
        check("config_file_exit_status", code == 0, code)
        lines = open(os.path.join(tmp, "cf.metrics")).read().splitlines()
        last = json.loads(lines[-1]) if lines else {}
        check("config_file_metrics_at_exit", len(last.get("drives", {})) == 12 and
              last.get("instret", 0) > 0, lines[-1:])
        check("config_file_logger", "PUT /drives/d11: 204" in open(os.path.join(tmp, "cf.log")).read())
    except (TimeoutError, EOFError, OSError, ValueError) as e:
        check("config_file_line", False, repr(e))
    finally:
        con.kill()
    bad = dict(cfg, vsock=None)
    bad["mmds-config"] = {"network_interfaces": ["eth0"]}
    json.dump(bad, open(path, "w"))
    out = subprocess.run([RVMM, "--config-file", path, "--no-api"], capture_output=True,
                         text=True, timeout=60)
    check("config_file_unsupported_section", out.returncode == 2 and
          out.stderr.count("\n") == 1 and "`mmds-config`" in out.stderr,
          (out.returncode, out.stderr))
    bad = dict(cfg, drives=[dict(drives[0], cache_type="Bogus")])
    json.dump(bad, open(path, "w"))
    out = subprocess.run([RVMM, "--config-file", path, "--no-api"], capture_output=True,
                         text=True, timeout=60)
    check("config_file_bad_value_named", out.returncode == 2 and "cache_type" in out.stderr and
          "rootfs" in out.stderr, (out.returncode, out.stderr))


def hot_swap_and_restore(tmp):
    """PATCH /drives on a running guest, then a snapshot whose load GET
    /vm/config describes."""
    sock = os.path.join(tmp, "hs.sock")
    a = file_image(os.path.join(tmp, "a.img"), 1 << 20, b"AAAA-first-medium")
    b = file_image(os.path.join(tmp, "b.img"), 2 << 20, b"BBBB-second-medium")
    con = Console([RVMM, "--api-sock", sock, "--id", "hotswap"], "%s/fc-hotswap.log" % LOGDIR)
    api = Api(sock)
    try:
        api.wait_ready(con.proc)
        for path, body in [("/machine-config", {"vcpu_count": 2, "mem_size_mib": 192}),
                           ("/boot-source", {"kernel_image_path": KERNEL, "initrd_path": INITRD,
                                             "boot_args": "console=ttyS0"}),
                           ("/drives/data", {"drive_id": "data", "path_on_host": a,
                                             "is_root_device": False, "is_read_only": True}),
                           ("/actions", {"action_type": "InstanceStart"})]:
            status, reply = api.put(path, body)
            if status != 204:
                raise OSError("%s: %s %r" % (path, status, reply))
        con.boot_to_shell()
        out = con.run("head -c 4 /dev/vda; echo; cat /sys/block/vda/size")
        check("hotswap_first_medium", out.split() == ["AAAA", "2048"], out)
        status, body = api.patch("/drives/data", {"drive_id": "data", "path_on_host": b,
                                                  "rate_limiter": None})
        check("hotswap_patch", status == 204, (status, body))
        # The driver re-reads the capacity on the config-change interrupt.
        con.expect(r"\[vda\] new size: 4096 .*\n", 60)
        con.expect(r"vda: detected capacity change from 2048 to 4096.*\n", 60)
        out = guest_lines(con.run("cat /sys/block/vda/size; echo 3 > /proc/sys/vm/drop_caches; "
                                  "head -c 4 /dev/vda"))
        check("hotswap_guest_reads_new_medium", out == ["4096", "BBBB"], out)
        _, cfg = api.get("/vm/config")
        check("hotswap_vm_config_path", cfg["drives"][0]["path_on_host"] == b, cfg["drives"])
        status, body = api.patch("/drives/data", {"drive_id": "data",
                                                  "path_on_host": os.path.join(tmp, "nope")})
        check("hotswap_missing_file_refused", status == 400, (status, body))
        out = con.run("head -c 4 /dev/vda")
        check("hotswap_guest_still_reads", out == "BBBB", out)
        api.patch("/vm", {"state": "Paused"})
        st, mem = os.path.join(tmp, "hs.state"), os.path.join(tmp, "hs.mem")
        status, body = api.put("/snapshot/create", {"snapshot_path": st, "mem_file_path": mem})
        check("hotswap_snapshot", status == 204, (status, body))
        con.kill()
        sock2 = os.path.join(tmp, "hs2.sock")
        con2 = Console([RVMM, "--api-sock", sock2], "%s/fc-restored.log" % LOGDIR)
        api2 = Api(sock2)
        try:
            api2.wait_ready(con2.proc)
            status, body = api2.put("/snapshot/load", {"snapshot_path": st, "mem_backend":
                                                       {"backend_type": "File", "backend_path": mem},
                                                       "resume_vm": True})
            check("restore_load", status == 204, (status, body))
            _, cfg = api2.get("/vm/config")
            problems = schema.check(cfg, "FullVmConfiguration")
            mc = cfg.get("machine-config", {})
            check("vm_config_describes_restored_vm", not problems and mc.get("vcpu_count") == 2 and
                  mc.get("mem_size_mib") == 192 and "boot-source" not in cfg and
                  [(d["drive_id"], d["path_on_host"], d["is_read_only"]) for d in cfg["drives"]] ==
                  [("data", b, True)], (problems, cfg))
            out = con2.run("head -c 4 /dev/vda")
            # The restored shell may print a prompt first; the bytes end the output.
            check("restored_guest_reads_swapped_medium", out.rstrip().endswith("BBBB"), out)
        finally:
            con2.kill()
    except (TimeoutError, EOFError, OSError, KeyError, IndexError) as e:
        check("hot_swap", False, repr(e))
    finally:
        con.kill()


def host_huge_pages(field):
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("HugePages_%s:" % field):
                return int(line.split()[1])
    return 0


def set_nr_hugepages(n):
    with open("/proc/sys/vm/nr_hugepages", "w") as f:
        f.write("%d\n" % n)


def huge_start(sock, mib):
    """A fresh rvmm asked to boot a guest of mib MiB on 2M pages: (proc,
    status, body) of the InstanceStart."""
    proc = subprocess.Popen([RVMM, "--api-sock", sock], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    api = Api(sock)
    api.wait_ready(proc)
    api.put("/machine-config", {"vcpu_count": 1, "mem_size_mib": mib, "huge_pages": "2M"})
    api.put("/boot-source", {"kernel_image_path": KERNEL, "initrd_path": INITRD,
                             "boot_args": "console=ttyS0"})
    status, body = api.put("/actions", {"action_type": "InstanceStart"})
    return proc, status, body


def huge_pages(tmp):
    """huge_pages "2M": guest RAM from 2 MiB hugetlb pages, reserved when
    the VM is built. GET /machine-config echoes it; a guest larger than the
    host's free huge pages gets one clear line (a 400 at InstanceStart, exit
    status 2 for a config file) naming nr_hugepages; with pages reserved
    for it (the test raises nr_hugepages, then puts it back) the guest
    boots with its RAM in a hugetlb mapping (smaps KernelPageSize 2048 kB)."""
    sock = os.path.join(tmp, "huge.sock")
    proc = subprocess.Popen([RVMM, "--api-sock", sock], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    api = Api(sock)
    try:
        api.wait_ready(proc)
        status, body = api.put("/machine-config", {"vcpu_count": 1, "mem_size_mib": 128,
                                                   "huge_pages": "2M"})
        status2, mc = api.get("/machine-config")
        check("huge_pages_2m_accepted", status == 204 and status2 == 200 and
              mc.get("huge_pages") == "2M", (status, body, mc))
        status, body = api.put("/balloon", {"amount_mib": 0, "deflate_on_oom": False})
        api.put("/boot-source", {"kernel_image_path": KERNEL, "initrd_path": INITRD,
                                 "boot_args": "console=ttyS0"})
        status, body = api.put("/actions", {"action_type": "InstanceStart"})
        check("huge_pages_2m_no_balloon", status == 400 and "balloon" in body["fault_message"],
              (status, body))
    finally:
        proc.kill()
        proc.wait()
    # Refused: 128 MiB more than the host has free.
    mib = host_huge_pages("Free") * 2 + 128
    proc, status, body = huge_start(sock, mib)
    proc.kill()
    proc.wait()
    msg = body.get("fault_message", "") if body else ""
    check("huge_pages_2m_refused_400", status == 400 and "huge_pages 2M" in msg and
          "nr_hugepages" in msg, (status, body))
    path = os.path.join(tmp, "huge.json")
    json.dump({"boot-source": {"kernel_image_path": KERNEL, "initrd_path": INITRD},
               "machine-config": {"vcpu_count": 1, "mem_size_mib": mib, "huge_pages": "2M"}},
              open(path, "w"))
    out = subprocess.run([RVMM, "--config-file", path, "--no-api"], capture_output=True,
                         text=True, timeout=60)
    check("huge_pages_2m_refused_exit2", out.returncode == 2 and out.stderr.count("\n") == 1 and
          "nr_hugepages" in out.stderr, (out.returncode, out.stderr))
    # Booted: 64 pages reserved for a 128 MiB guest.
    total = host_huge_pages("Total")
    try:
        set_nr_hugepages(total + 64)
        if host_huge_pages("Free") < 64:
            check("huge_pages_2m_boot", False, "the host could not reserve 64 huge pages")
            return
        proc, status, body = huge_start(sock, 128)
        try:
            smaps = open("/proc/%d/smaps" % proc.pid).read()
            check("huge_pages_2m_boot", status == 204 and "KernelPageSize:     2048 kB" in smaps,
                  (status, body))
        finally:
            proc.kill()
            proc.wait()
    except OSError as e:
        check("huge_pages_2m_boot", False, "cannot reserve huge pages: %s" % e)
    finally:
        try:
            set_nr_hugepages(total)
        except OSError:
            pass


def boot_timer(tmp):
    """--boot-timer: a bare-metal guest (the test guest's Linux has no
    /dev/mem to reach it) writes 123 as a word (ignored), as a byte at
    offset 1 (ignored), then as a byte at offset 0 of the boot timer at
    0x102000, and powers off: the log has exactly one Firecracker
    "Guest-boot-time" line."""
    code = [0x001022B7,  # lui  t0, 0x102       (0x102000)
            0x07B00313,  # addi t1, zero, 123
            0x0062A023,  # sw   t1, 0(t0)       ignored: not a byte
            0x006280A3,  # sb   t1, 1(t0)       ignored: not offset 0
            0x00628023,  # sb   t1, 0(t0)       the signal
            0x001002B7,  # lui  t0, 0x100       (the test finisher)
            0x00005337,  # lui  t1, 0x5
            0x55530313,  # addi t1, t1, 0x555   (0x5555: power off)
            0x0062A023,  # sw   t1, 0(t0)
            0x0000006F]  # j    .
    prog = os.path.join(tmp, "boot-timer.bin")
    with open(prog, "wb") as f:
        f.write(b"".join(c.to_bytes(4, "little") for c in code))
    log = os.path.join(tmp, "boot-timer.log")
    out = subprocess.run([RVMM, "--bios", "none", "--kernel", prog, "--boot-timer",
                          "--log-path", log], capture_output=True, text=True, timeout=120)
    lines = [l for l in open(log).read().splitlines() if "Guest-boot-time" in l]
    ok = len(lines) == 1 and re.search(
        r"Guest-boot-time\s+=\s+\d+\s+us\s+\d+\s+ms,\s+\d+\s+CPU us\s+\d+\s+CPU ms$", lines[0])
    check("boot_timer_line", out.returncode == 0 and ok, (out.returncode, lines))


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        kata_version()
        boot_timer(tmp)
        huge_pages(tmp)
        contract(tmp)
        config_file_line(tmp)
        hot_swap_and_restore(tmp)
        python_sdk_line(tmp)


if __name__ == "__main__":
    main()
    sys.exit(0 if results and all(results) else 1)
