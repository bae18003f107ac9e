"""Snapshots through the control API: a guest counting on its console is
paused and saved with PUT /snapshot/create, then loaded in new rvmm
processes with PUT /snapshot/load (the older mem_file_path and the
mem_backend form, with and without resume_vm); the count goes on from
where it was, with no second boot. Each request invalid in its state is a
400 that leaves the VM as it was. Env: RVMM, GUEST_KERNEL, GUEST_INITRD."""
import os
import re
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "guest"))
from apiclient import Api  # noqa: E402
from api_test import (INITRD, KERNEL, LOGDIR, RVMM, boot_to_shell, check, drain,  # noqa: E402
                      fault, results, state, ticks)
from console import Console  # noqa: E402

BOOT_BANNER = re.compile(r"Linux version|rvmm guest ready|OpenSBI")


def start(tmp, name):
    sock = os.path.join(tmp, name + ".sock")
    con = Console([RVMM, "--api-sock", sock], "%s/api-snap-%s.log" % (LOGDIR, name))
    api = Api(sock)
    api.wait_ready(con.proc)
    return con, api


def take_snapshot(tmp, st, mem):
    """Boots, starts the counter, snapshots it; returns the last tick
    before the snapshot."""
    con, api = start(tmp, "source")
    try:
        fault("create_before_start", api.put("/snapshot/create",
                                             {"snapshot_path": st, "mem_file_path": mem}))
        api.put("/machine-config", {"vcpu_count": 2, "mem_size_mib": 128})
        api.put("/boot-source", {"kernel_image_path": KERNEL, "initrd_path": INITRD})
        status, _ = api.put("/actions", {"action_type": "InstanceStart"})
        check("source_started", status == 204, status)
        if not boot_to_shell(con, "source_boots"):
            return None
        con.send("(i=0; while true; do echo tick$i; i=$((i+1)); usleep 200000; done) &\n")
        seen = ticks(drain(con, 2.0))
        check("source_counts", len(seen) >= 3, seen)
        fault("create_while_running", api.put("/snapshot/create",
                                              {"snapshot_path": st, "mem_file_path": mem}))
        fault("load_after_start", api.put("/snapshot/load", {"snapshot_path": st,
                                                             "mem_file_path": mem}))
        status, _ = api.patch("/vm", {"state": "Paused"})
        check("source_paused", status == 204, status)
        seen += ticks(drain(con, 0.5))  # what was written before the pause took hold
        fault("create_diff_unsupported", api.put("/snapshot/create", {
            "snapshot_path": st, "mem_file_path": mem, "snapshot_type": "Diff"}))
        fault("create_missing_field", api.put("/snapshot/create", {"snapshot_path": st}))
        fault("create_unwritable", api.put("/snapshot/create", {
            "snapshot_path": "/nonexistent/dir/state", "mem_file_path": mem}))
        status, body = api.put("/snapshot/create", {"snapshot_path": st, "mem_file_path": mem,
                                                    "snapshot_type": "Full"})
        check("snapshot_create", status == 204 and os.path.getsize(st) > 0 and
              os.path.exists(mem), (status, body))
        check("source_still_paused", state(api) == "Paused", state(api))
        status, _ = api.patch("/vm", {"state": "Resumed"})
        after = ticks(drain(con, 1.5))
        check("source_resumes", status == 204 and len(after) >= 2, (status, after))
        con.send("poweroff -f\n")
        con.wait_exit(60)
        return seen[-1] if seen else None
    finally:
        con.kill()


def restored(tmp, name, load, last, resume):
    con, api = start(tmp, name)
    try:
        status, body = api.put("/snapshot/load", load)
        check(name + "_load", status == 204, (status, body))
        if status != 204:
            return
        if not resume:
            check(name + "_state_paused", state(api) == "Paused", state(api))
            check(name + "_parked", ticks(drain(con, 1.0)) == [])
            status, _ = api.patch("/vm", {"state": "Resumed"})
            check(name + "_resume", status == 204, status)
        check(name + "_state_running", state(api) == "Running", state(api))
        text = drain(con, 2.5)
        got = ticks(text)
        check(name + "_counter_continues", len(got) >= 3 and got[0] == last + 1, (last, got[:3]))
        check(name + "_no_second_boot", not BOOT_BANNER.search(text), text[:200])
        con.send("echo answer$((6*7))\n")
        con.expect("answer42", 30)
        check(name + "_shell_usable", True)
        fault(name + "_config_after_load",
              api.put("/machine-config", {"vcpu_count": 1, "mem_size_mib": 128}))
        con.send("poweroff -f\n")
        check(name + "_exit_status", con.wait_exit(60) == 0)
    except (TimeoutError, EOFError, OSError, KeyError) as e:
        check(name, False, repr(e))
    finally:
        con.kill()


def load_errors(tmp, st, mem):
    con, api = start(tmp, "errors")
    try:
        fault("load_no_memory", api.put("/snapshot/load", {"snapshot_path": st}))
        fault("load_both_memories", api.put("/snapshot/load", {
            "snapshot_path": st, "mem_file_path": mem,
            "mem_backend": {"backend_type": "File", "backend_path": mem}}))
        fault("load_uffd", api.put("/snapshot/load", {
            "snapshot_path": st, "mem_backend": {"backend_type": "Uffd", "backend_path": mem}}))
        fault("load_backend_unknown_field", api.put("/snapshot/load", {
            "snapshot_path": st, "mem_backend": {"backend_type": "File", "backend_path": mem,
                                                 "x": 1}}))
        fault("load_missing_state", api.put("/snapshot/load", {
            "snapshot_path": st + ".nope", "mem_file_path": mem}))
        bad = os.path.join(tmp, "corrupt")
        with open(st, "rb") as f:
            data = bytearray(f.read())
        data[len(data) // 2] ^= 0xFF
        with open(bad, "wb") as f:
            f.write(data)
        fault("load_corrupt_state", api.put("/snapshot/load", {"snapshot_path": bad,
                                                               "mem_file_path": mem}))
        check("errors_not_started", state(api) == "Not started", state(api))
        api.put("/machine-config", {"vcpu_count": 2, "mem_size_mib": 128})
        fault("load_after_configuring", api.put("/snapshot/load", {"snapshot_path": st,
                                                                   "mem_file_path": mem}))
    finally:
        con.kill()


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        st, mem = os.path.join(tmp, "vm.state"), os.path.join(tmp, "vm.mem")
        try:
            last = take_snapshot(tmp, st, mem)
        except (TimeoutError, EOFError, OSError) as e:
            check("take_snapshot", False, repr(e))
            return
        check("last_tick_seen", last is not None)
        if last is None:
            return
        load_errors(tmp, st, mem)
        restored(tmp, "restored_old_field", {"snapshot_path": st, "mem_file_path": mem}, last,
                 resume=False)
        restored(tmp, "restored_backend", {"snapshot_path": st, "resume_vm": True, "mem_backend": {
            "backend_type": "File", "backend_path": mem}}, last, resume=True)


if __name__ == "__main__":
    main()
    sys.exit(0 if results and all(results) else 1)
