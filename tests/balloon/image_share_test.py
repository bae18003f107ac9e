"""Kernel and initramfs files nobody may write (mode 0444) are mapped into
guest RAM copy-on-write, so VMs booted from them share the pages their
guests never write (the kernel's text) through the host's page cache.

Two VMs boot from read-only copies of the images at once. Checked:
 - each process maps the kernel copy into its guest RAM (/proc/PID/maps)
   and GET /stats counts those pages as memory.image_shared_kib (>= 1 MiB);
 - the two share them: the kernel mapping's Pss is at least 1 MiB below
   its Rss in each (a page shared by two counts half in each);
 - both guests answer a shell command (the kernel runs from the mapping);
 - a snapshot of VM A restores into a clone that answers and still has
   the data A wrote before the snapshot (RAM is saved as the guest sees it,
   file pages included);
 - a migration of a VM booted from them: paused, its kernel pages that the
   guest never wrote and that are not even mapped in the process (not
   present in /proc/PID/pagemap: they still read as the file's bytes) are
   sent like any other, so the destination's guest reads the file's bytes
   there through /dev/mem (a migration's first pass skips absent pages of
   anonymous RAM as zero: it must not do so here);
 - the image files are unchanged afterwards (sha256), though the guests
   wrote over parts of the kernel image (.data, .bss) and freed (poisoned)
   the initramfs.
A writable copy is not mapped: loader_shared_file (unit layer) covers that
and the balloon discarding a mapped page.
Env: RVMM, GUEST_KERNEL, GUEST_INITRD, BUILD."""
import hashlib
import os
import re
import shutil
import struct
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "guest"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "api"))
from apiclient import Api  # noqa: E402
from console import PROMPT, Console  # noqa: E402

RAM_BASE = 0x80000000  # the kernel's place with rvmm's builtin SBI (no --bios)
SAMPLE = 48  # absent pages the destination's guest reads back

RVMM = os.environ.get("RVMM", "build/rvmm")
KERNEL = os.environ["GUEST_KERNEL"]
INITRD = os.environ["GUEST_INITRD"]
LOGDIR = os.environ.get("BUILD", "build") + "/guest-logs"

results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    print("%s image_share/%s%s" % ("PASS" if ok else "FAIL", name,
                                   ": %s" % (detail,) if detail != "" else ""))
    sys.stdout.flush()


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def start(tmp, name, args):
    sock = os.path.join(tmp, name + ".sock")
    con = Console([RVMM, "--api-sock", sock] + args, "%s/image-share-%s.log" % (LOGDIR, name))
    api = Api(sock)
    api.wait_ready(con.proc)
    return con, api


def mapping(pid, path):
    """(Rss, Pss) in KiB summed over the process's mappings of path, or
    None if it maps no part of it."""
    found, rss, pss, cur = False, 0, 0, None
    with open("/proc/%d/smaps" % pid) as f:
        for line in f:
            m = re.match(r"[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$", line)
            if m:
                cur = m.group(1) == path
                found |= cur
            elif cur and line.startswith("Rss:"):
                rss += int(line.split()[1])
            elif cur and line.startswith("Pss:"):
                pss += int(line.split()[1])
    return (rss, pss) if found else None


def absent_pages(pid, path):
    """Page indexes (from the file's start) of the mapping of path that are
    neither present nor swapped (/proc/PID/pagemap bits 63 and 62)."""
    with open("/proc/%d/maps" % pid) as f:
        for line in f:
            fields = line.split()
            if len(fields) >= 6 and fields[5] == path:
                lo, hi = (int(x, 16) for x in fields[0].split("-"))
                break
        else:
            return []
    n = (hi - lo) >> 12
    with open("/proc/%d/pagemap" % pid, "rb") as f:
        f.seek((lo >> 12) * 8)
        ents = struct.unpack("%dQ" % n, f.read(8 * n))
    return [p for p, e in enumerate(ents) if not e >> 62]


def migration(tmp, args, kernel):
    """Migrates a paused VM booted from the shared kernel; the destination's
    guest reads pages that were absent on the source."""
    url = "unix:" + os.path.join(tmp, "mig.sock")
    src, api = start(tmp, "msrc", args)
    dst = None
    try:
        src.boot_to_shell(300)
        status = api.patch("/vm", {"state": "Paused"})[0]
        absent = absent_pages(src.proc.pid, kernel)
        check("migration_source_has_absent_pages", status == 204 and len(absent) >= SAMPLE,
              "%d absent" % len(absent))
        pick = absent[:: max(1, len(absent) // SAMPLE)][:SAMPLE]
        with open(kernel, "rb") as f:
            image = f.read()
        want = [hashlib.md5(image[p * 4096:(p + 1) * 4096]).hexdigest() for p in pick]
        dst = Console([RVMM, "--incoming", url], "%s/image-share-mdst.log" % LOGDIR)
        dst.expect(r"waiting for a migration on", 60)
        status, reply, _ = api.call("PUT", "/migration/send", {"destination_url": url})
        src.wait_exit(300)
        dst.expect(r"migration received", 300)
        dst.send("\n")
        dst.expect(PROMPT, 60)
        out = dst.run("for p in %s; do dd if=/dev/mem bs=4096 skip=$((%d + p)) count=1 "
                      "2>/dev/null | md5sum; done" % (" ".join(map(str, pick)), RAM_BASE >> 12),
                      timeout=300)
        got = re.findall(r"^([0-9a-f]{32})", out, re.M)
        bad = [p for p, g, w in zip(pick, got, want) if g != w]
        check("migration_file_pages_arrive", status == 204 and len(got) == len(pick) and not bad,
              "send %s %s, %d of %d read, differ at pages %s" % (status, reply, len(got),
                                                                 len(pick), bad[:8]))
    except (TimeoutError, EOFError, OSError, KeyError, AttributeError) as e:
        check("migration", False, repr(e))
    finally:
        src.kill()
        if dst:
            dst.kill()


def answers(con):
    con.send('echo AN""SWER$((6*7))\n')
    con.expect(r"ANSWER42", 120)
    return True


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        kernel, initrd = os.path.join(tmp, "Image"), os.path.join(tmp, "initrd")
        shutil.copyfile(KERNEL, kernel)
        shutil.copyfile(INITRD, initrd)
        os.chmod(kernel, 0o444)
        os.chmod(initrd, 0o444)
        sums = (sha256(kernel), sha256(initrd))
        args = ["--kernel", kernel, "--initrd", initrd, "-m", "256M", "--append", "console=ttyS0"]
        st, mem = os.path.join(tmp, "a.state"), os.path.join(tmp, "a.mem")
        vms = []
        if os.environ.get("IMAGE_SHARE_ONLY") == "migration":
            migration(tmp, args, kernel)
            return
        try:
            for name in ("a", "b"):
                vms.append(start(tmp, name, args))
            for (con, api), name in zip(vms, ("a", "b")):
                con.boot_to_shell(300)
                check("%s_boots" % name, answers(con))
            for (con, api), name in zip(vms, ("a", "b")):
                m = mapping(con.proc.pid, kernel)
                check("%s_maps_kernel" % name, m is not None, m)
                status, body = api.get("/stats")
                shared = body.get("memory", {}).get("image_shared_kib", 0) if status == 200 else 0
                check("%s_stats_image_shared" % name, shared >= 1024, "%s KiB" % shared)
                check("%s_pages_shared" % name, m is not None and m[0] - m[1] >= 1024,
                      "Rss %s KiB, Pss %s KiB" % m if m else "")
            con, api = vms[0]
            con.run("echo kept-through-snapshot > /tmp/mark")
            status, _ = api.patch("/vm", {"state": "Paused"})
            status2, body = api.put("/snapshot/create", {"snapshot_path": st, "mem_file_path": mem})
            check("a_snapshot", status == 204 and status2 == 204, (status, status2, body))
        except (TimeoutError, EOFError, OSError, KeyError, AttributeError) as e:
            check("boot", False, repr(e))
        finally:
            for con, _ in vms:
                con.kill()
        if os.path.exists(mem):
            load = {"snapshot_path": st, "mem_backend": {"backend_type": "File",
                                                         "backend_path": mem},
                    "resume_vm": True}
            con, api = start(tmp, "clone", [])
            try:
                status, body = api.put("/snapshot/load", load)
                check("clone_load", status == 204, (status, body))
                con.send("\n")
                con.expect(PROMPT, 60)
                check("clone_answers", answers(con))
                out = con.run("cat /tmp/mark")
                check("clone_data_intact", "kept-through-snapshot" in out, out)
            except (TimeoutError, EOFError, OSError, KeyError, AttributeError) as e:
                check("clone", False, repr(e))
            finally:
                con.kill()
        migration(tmp, args, kernel)
        check("files_unchanged", (sha256(kernel), sha256(initrd)) == sums)


if __name__ == "__main__":
    main()
    sys.exit(0 if results and all(results) else 1)
