"""The control API against a real guest: configure it over the unix socket,
InstanceStart, watch GET / follow the lifecycle, pause (guest code and the
guest clock stop) and resume, read growing statistics, and check that every
bad request is a 400 with a fault_message that leaves the VM as it was.
Then a VM booted from the command line is served the same way. One
PASS/FAIL line per check. Env: RVMM, GUEST_KERNEL, GUEST_INITRD, BUILD."""
import os
import re
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "guest"))
from apiclient import Api  # noqa: E402
from console import Console  # noqa: E402

RVMM = os.environ.get("RVMM", "build/rvmm")
KERNEL = os.environ["GUEST_KERNEL"]
INITRD = os.environ["GUEST_INITRD"]
LOGDIR = os.environ.get("BUILD", "build") + "/guest-logs"

results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    print("%s api/%s%s" % ("PASS" if ok else "FAIL", name, "" if ok else ": " + str(detail)[:300]))
    sys.stdout.flush()


def fault(name, reply):
    """A rejected request: 400 with a non-empty fault_message."""
    status, body = reply
    check(name, status == 400 and isinstance(body, dict) and
          isinstance(body.get("fault_message"), str) and body["fault_message"],
          "got %s %r" % (status, body))


def state(api):
    status, body = api.get("/")
    return body.get("state") if status == 200 else None


def boot_to_shell(con, name):
    try:
        con.boot_to_shell(240)
        check(name, True)
        return True
    except (TimeoutError, EOFError) as e:
        check(name, False, e)
        return False


def preboot_errors(api):
    """Bad requests before the VM exists; the configuration must not move."""
    before = api.get("/machine-config")
    fault("bad_json", api.put("/machine-config", raw='{"vcpu_count": 2,'))
    fault("trailing_garbage", api.put("/machine-config", raw='{"vcpu_count": 2} x'))
    fault("not_an_object", api.put("/machine-config", raw="[1, 2]"))
    fault("empty_body", api.put("/machine-config", raw=""))
    fault("unknown_field", api.put("/machine-config",
                                   {"vcpu_count": 1, "mem_size_mib": 128, "frobnicate": 1}))
    fault("missing_field", api.put("/machine-config", {"vcpu_count": 1}))
    fault("ill_typed_field", api.put("/machine-config", {"vcpu_count": "2", "mem_size_mib": 128}))
    fault("float_for_integer", api.put("/machine-config", {"vcpu_count": 1.5, "mem_size_mib": 128}))
    fault("vcpu_count_zero", api.put("/machine-config", {"vcpu_count": 0, "mem_size_mib": 128}))
    fault("vcpu_count_33", api.put("/machine-config", {"vcpu_count": 33, "mem_size_mib": 128}))
    fault("mem_huge", api.put("/machine-config", {"vcpu_count": 1, "mem_size_mib": 2**62}))
    # cpu, as --cpu: an unknown extension, a malformed list, a forbidden
    # combination (the H extension needs S, which cannot be turned off).
    for name, cpu in (("cpu_unknown_ext", "rv64,warp=on"), ("cpu_malformed", "rv64,,h=on"),
                      ("cpu_h_bad_value", "rv64,h=maybe"), ("cpu_s_off", "rv64,s=off,h=on"),
                      ("cpu_not_rv64", "rv32")):
        fault(name, api.put("/machine-config", {"vcpu_count": 1, "mem_size_mib": 128, "cpu": cpu}))
    fault("cpu_not_string", api.put("/machine-config", {"vcpu_count": 1, "mem_size_mib": 128,
                                                        "cpu": 64}))
    fault("body_too_large", api.put("/machine-config", raw='{"a":"%s"}' % ("x" * 70000)))
    check("rejected_config_unchanged", api.get("/machine-config") == before,
          "%r then %r" % (before, api.get("/machine-config")))
    fault("kernel_missing_file", api.put("/boot-source", {"kernel_image_path": "/nonexistent/Image"}))
    fault("boot_source_nul", api.put("/boot-source", {"kernel_image_path": KERNEL + "\u0000x"}))
    fault("start_without_kernel", api.put("/actions", {"action_type": "InstanceStart"}))
    fault("unknown_action", api.put("/actions", {"action_type": "Explode"}))
    fault("drive_id_mismatch", api.put("/drives/a", {"drive_id": "b", "path_on_host": INITRD,
                                                      "is_root_device": False}))
    fault("drive_bad_id", api.put("/drives/a.b", {"drive_id": "a.b", "path_on_host": INITRD,
                                                   "is_root_device": False}))
    status, _ = api.put("/drives/root1", {"drive_id": "root1", "path_on_host": INITRD,
                                          "is_root_device": True, "is_read_only": True})
    check("drive_put", status == 204, status)
    fault("second_root_drive", api.put("/drives/root2", {"drive_id": "root2", "path_on_host": INITRD,
                                                          "is_root_device": True,
                                                          "is_read_only": True}))
    fault("net_neither_tap_nor_user", api.put("/network-interfaces/eth0", {"iface_id": "eth0"}))
    fault("net_bad_mac", api.put("/network-interfaces/eth0", {"iface_id": "eth0", "user_mode": True,
                                                              "guest_mac": "zz:00:00:00:00:00"}))
    fault("net_hostfwd_injection", api.put("/network-interfaces/eth0", {
        "iface_id": "eth0", "user_mode": True, "hostfwd": ["tcp::1-:2,restrict=on"]}))
    # libslirp takes at most 65521 (a tap may take the schema's 65535).
    fault("net_user_mtu_over_slirp", api.put("/network-interfaces/eth0", {
        "iface_id": "eth0", "user_mode": True, "mtu": 65522}))
    status, _ = api.put("/network-interfaces/eth0", {"iface_id": "eth0", "user_mode": True,
                                                     "guest_mac": "06:00:ac:10:00:02"})
    check("net_put", status == 204, status)
    status, cfg = api.get("/vm/config")
    check("vm_config_lists_devices", status == 200 and
          [d["drive_id"] for d in cfg["drives"]] == ["root1"] and cfg["drives"][0]["is_root_device"]
          and cfg["network-interfaces"][0]["guest_mac"] == "06:00:ac:10:00:02", cfg)
    fault("pause_not_started", api.patch("/vm", {"state": "Paused"}))
    fault("resume_not_started", api.patch("/vm", {"state": "Resumed"}))
    fault("stats_not_started", api.get("/stats"))
    status, body, _ = api.call("GET", "/no/such/thing")
    check("unknown_path_404", status == 404 and "fault_message" in body, (status, body))
    status, body, headers = api.call("DELETE", "/machine-config")
    check("wrong_method_405", status == 405 and "PUT" in headers.get("Allow", ""), (status, headers))
    check("still_not_started", state(api) == "Not started", state(api))


def ticks(text):
    return [int(n) for n in re.findall(r"tick(\d+)", text)]


def drain(con, seconds):
    """Console text arriving within `seconds`."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        con._read(max(0.01, end - time.monotonic()))
    text, con.buf = con.buf, ""
    return text


def instret(api):
    status, body = api.get("/stats")
    return body["instret"] if status == 200 else -1


def uptime(con):
    """Guest seconds since boot (the shell may echo the command back after
    a background job ended, so only the number on its own line counts)."""
    out = con.run("cut -d' ' -f1 /proc/uptime")
    return float(re.findall(r"^(\d+\.\d+)$", out, re.M)[-1])


def get_ms(api, n=20):
    t0 = time.monotonic()
    for _ in range(n):
        api.get("/")
    return (time.monotonic() - t0) * 1000 / n


def pause_resume(api, con):
    """Pausing stops guest code (no console output, no instructions) and
    guest time; resuming continues both."""
    uptime0 = uptime(con)
    host0 = time.monotonic()
    con.send("(i=0; while [ $i -lt 100000 ]; do echo tick$i; i=$((i+1)); usleep 100000; done) &\n")
    running = ticks(drain(con, 2.0))
    check("counter_runs", len(running) >= 3, running)
    t0 = time.monotonic()
    status, _ = api.patch("/vm", {"state": "Paused"})
    pause_ms = (time.monotonic() - t0) * 1000
    check("pause", status == 204, status)
    check("state_paused", state(api) == "Paused", state(api))
    drain(con, 0.5)  # output the guest wrote just before the pause
    i0 = instret(api)
    during = ticks(drain(con, 2.5))
    i1 = instret(api)
    check("paused_console_silent", during == [], during)
    check("paused_no_instructions", i0 == i1 and i0 > 0, (i0, i1))
    fault("pause_while_paused", api.patch("/vm", {"state": "Paused"}))
    fault("config_while_paused", api.put("/machine-config", {"vcpu_count": 1, "mem_size_mib": 64}))
    t0 = time.monotonic()
    status, _ = api.patch("/vm", {"state": "Resumed"})
    resume_ms = (time.monotonic() - t0) * 1000
    check("resume", status == 204, status)
    print("INFO api/latency: PATCH pause %.1f ms, resume %.1f ms, GET / %.2f ms (mean of 20)" %
          (pause_ms, resume_ms, get_ms(api)))
    check("state_running_again", state(api) == "Running", state(api))
    after = ticks(drain(con, 2.0))
    check("counter_continues", len(after) >= 3 and running and after[0] > running[-1],
          (running[-3:], after[:3]))
    check("instructions_grow", instret(api) > i1)
    con.send("kill $! 2>/dev/null\n")
    drain(con, 1.0)
    con.quiet()  # the shell turns echo back on when the job ends
    uptime1 = uptime(con)
    host = time.monotonic() - host0
    # The guest clock stood still for the ~3 s pause.
    check("guest_clock_stopped_while_paused", uptime1 - uptime0 < host - 2.0,
          "guest %.2f s, host %.2f s" % (uptime1 - uptime0, host))


def io_counters(api, con):
    """GET /stats counts the guest's disk requests per drive id and its
    frames per interface id, live, as `--stats` does at the end."""
    _, s0 = api.get("/stats")
    check("stats_lists_io_devices", set(s0.get("drives", {})) == {"root1", "data"} and
          set(s0.get("network_interfaces", {})) == {"eth0"}, s0.get("drives"))
    con.run("cat /dev/vdb >/dev/null; dd if=/dev/zero of=/dev/vdb bs=4096 count=8 conv=fsync"
            " 2>/dev/null", 60)
    _, s1 = api.get("/stats")
    d0, d1 = s0["drives"]["data"], s1["drives"]["data"]
    check("stats_disk_reads_grow", d1["reads"] > d0["reads"] and
          d1["read_bytes"] - d0["read_bytes"] >= 1 << 20, (d0, d1))
    check("stats_disk_writes_grow", d1["writes"] > d0["writes"] and
          d1["written_bytes"] - d0["written_bytes"] >= 8 * 4096 and d1["errors"] == 0, (d0, d1))
    check("stats_other_disk_still", s1["drives"]["root1"]["writes"] == 0, s1["drives"]["root1"])
    con.run("udhcpc -i eth0 -n -q -t 5 -T 2 >/dev/null 2>&1; echo rc=$?", 90)
    _, s2 = api.get("/stats")
    n0, n2 = s0["network_interfaces"]["eth0"], s2["network_interfaces"]["eth0"]
    check("stats_net_frames_grow", n2["tx_frames"] > n0["tx_frames"] and
          n2["rx_frames"] > n0["rx_frames"] and n2["tx_bytes"] > n0["tx_bytes"], (n0, n2))


def running_errors(api, con):
    fault("machine_config_after_start",
          api.put("/machine-config", {"vcpu_count": 1, "mem_size_mib": 128}))
    fault("boot_source_after_start", api.put("/boot-source", {"kernel_image_path": KERNEL}))
    fault("drive_after_start", api.put("/drives/d2", {"drive_id": "d2", "path_on_host": INITRD,
                                                       "is_root_device": False}))
    fault("second_instance_start", api.put("/actions", {"action_type": "InstanceStart"}))
    fault("resume_while_running", api.patch("/vm", {"state": "Resumed"}))
    fault("bad_vm_state", api.patch("/vm", {"state": "Sleeping"}))
    fault("ctrl_alt_del_unsupported", api.put("/actions", {"action_type": "SendCtrlAltDel"}))
    check("running_after_errors", state(api) == "Running", state(api))
    out = con.run("echo $((6*7))")
    check("guest_usable_after_errors", out == "42", repr(out))


def poweroff(con, sock, name):
    con.send("poweroff -f\n")
    code = con.wait_exit(60)
    check(name + "_exit_status", code == 0, code)
    check(name + "_socket_removed", not os.path.exists(sock))


DISK_MAGIC = b"rvmm-api-root-disk"


def disk(tmp, name, size, head):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(head)
        f.truncate(size)
    return path


def configured_vm(tmp):
    sock = os.path.join(tmp, "api.sock")
    con = Console([RVMM, "--api-sock", sock], "%s/api-configured.log" % LOGDIR)
    api = Api(sock)
    try:
        api.wait_ready(con.proc)
        status, info = api.get("/")
        check("instance_info", status == 200 and info["state"] == "Not started" and
              info["vmm_version"] and info["id"], info)
        preboot_errors(api)
        status, _ = api.put("/machine-config", {"vcpu_count": 2, "mem_size_mib": 256})
        check("machine_config_put", status == 204, status)
        check("machine_config_get", api.get("/machine-config")[1].get("vcpu_count") == 2)
        status, _ = api.put("/boot-source", {"kernel_image_path": KERNEL, "initrd_path": INITRD,
                                             "boot_args": "console=ttyS0"})
        check("boot_source_put", status == 204, status)
        # The root drive preboot_errors() put is the initrd, not a whole
        # number of sectors: the start fails and nothing is left running.
        fault("start_with_bad_drive", api.put("/actions", {"action_type": "InstanceStart"}))
        check("not_started_after_failed_start", state(api) == "Not started", state(api))
        root, data = disk(tmp, "root.img", 1 << 20, DISK_MAGIC), disk(tmp, "data.img", 2 << 20, b"")
        status, _ = api.put("/drives/root1", {"drive_id": "root1", "path_on_host": root,
                                              "is_root_device": True, "is_read_only": True})
        status2, _ = api.put("/drives/data", {"drive_id": "data", "path_on_host": data,
                                              "is_root_device": False, "is_read_only": False})
        check("drives_replaced", status == 204 and status2 == 204, (status, status2))
        status, body = api.put("/actions", {"action_type": "InstanceStart"})
        check("instance_start", status == 204, (status, body))
        check("state_running", state(api) == "Running", state(api))
        if not boot_to_shell(con, "configured_boots_to_shell"):
            return
        out = con.run("grep -c ^processor /proc/cpuinfo; cat /proc/cmdline")
        check("guest_has_configuration", out.splitlines()[0] == "2" and "root=/dev/vda ro" in out, out)
        out = con.run("cat /sys/block/vda/size /sys/block/vda/ro /sys/block/vdb/size "
                      "/sys/block/vdb/ro; head -c %d /dev/vda" % len(DISK_MAGIC))
        check("guest_sees_drives", out.split() == ["2048", "1", "4096", "0", DISK_MAGIC.decode()],
              out)
        status, s1 = api.get("/stats")
        check("stats_shape", status == 200 and len(s1["vcpus"]) == 2 and s1["exits"]["sbi"] > 0 and
              "uart0" in s1["mmio"] and s1["sbi"].get("base") and s1["traps"] and
              s1["tlb"]["misses"] > 0 and s1["blocks"]["translated"] > 0, s1)
        # Without --stats the JIT does not count its native jumps or helper
        # calls: null, not a 0 that reads as "no chaining"; the run loop's
        # entries are counted.
        check("stats_chain_hits_not_counted", s1["blocks"].get("chain_hits", 0) is None and
              s1["blocks"].get("helper_calls", 0) is None and
              s1["blocks"].get("chain_misses", 0) > 0, s1["blocks"])
        io_counters(api, con)
        pause_resume(api, con)
        running_errors(api, con)
        status, s2 = api.get("/stats")
        check("stats_grow", s2["instret"] > s1["instret"] and
              s2["mmio"]["uart0"]["writes"] > s1["mmio"]["uart0"]["writes"],
              (s1["instret"], s2["instret"]))
        poweroff(con, sock, "configured")
    except (TimeoutError, EOFError, OSError, KeyError, TypeError, ValueError, IndexError) as e:
        check("configured_vm", False, repr(e))
    finally:
        con.kill()


def cli_booted_vm(tmp):
    """A kernel on the command line boots at once, served by the API."""
    sock = os.path.join(tmp, "cli.sock")
    con = Console([RVMM, "--api-sock", sock, "--kernel", KERNEL, "--initrd", INITRD],
                  "%s/api-cli.log" % LOGDIR)
    api = Api(sock)
    try:
        api.wait_ready(con.proc)
        check("cli_state_running", state(api) == "Running", state(api))
        fault("cli_boot_source_rejected", api.put("/boot-source", {"kernel_image_path": KERNEL}))
        if not boot_to_shell(con, "cli_boots_to_shell"):
            return
        status, _ = api.patch("/vm", {"state": "Paused"})
        status2, _ = api.patch("/vm", {"state": "Resumed"})
        check("cli_pause_resume", status == 204 and status2 == 204, (status, status2))
        out = con.run("echo $((6*7))")
        check("cli_guest_usable", out == "42", repr(out))
        poweroff(con, sock, "cli")
    except (TimeoutError, EOFError, OSError, KeyError) as e:
        check("cli_booted_vm", False, repr(e))
    finally:
        con.kill()


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        configured_vm(tmp)
        cli_booted_vm(tmp)


if __name__ == "__main__":
    main()
    sys.exit(0 if results and all(results) else 1)
