"""The outer guest's initramfs for nested runs (tests/nested and
bench/nested.py): the guest initramfs with a second cpio archive appended
(Linux unpacks both) holding /usr/bin/rvmm (the riscv64 build) and
/nested/{Image,initramfs.cpio.gz}, the same kernel and initramfs for the
nested guest. Stdlib, cpio and gzip only."""
import os
import subprocess
import tempfile


def build_outer_initrd(path, rvmm_riscv64, kernel, initrd):
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, "usr", "bin"))
        os.makedirs(os.path.join(root, "nested"))
        for src, dst in ((rvmm_riscv64, "usr/bin/rvmm"), (kernel, "nested/Image"),
                         (initrd, "nested/initramfs.cpio.gz")):
            subprocess.run(["cp", src, os.path.join(root, dst)], check=True)
        names = subprocess.run("find . | sort", shell=True, cwd=root, check=True,
                               stdout=subprocess.PIPE).stdout
        extra = subprocess.run(["cpio", "-o", "-H", "newc", "--quiet", "-R", "0:0"], cwd=root,
                               input=names, stdout=subprocess.PIPE, check=True).stdout
    extra = subprocess.run(["gzip", "-1"], input=extra, stdout=subprocess.PIPE, check=True).stdout
    with open(path + ".tmp", "wb") as out, open(initrd, "rb") as base:
        out.write(base.read())
        out.write(extra)
    os.replace(path + ".tmp", path)
