#!/bin/sh
# Installs every Debian package rvmm needs to build, test and build its guest.
# Idempotent: apt-get skips what is already there; the deb-src entry is added once.
set -eu

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

# clang also builds the guest's vec-smoke kernels for riscv64 (guest/build-initramfs.sh):
# gcc 12 does not vectorise for RVV.
PKGS="build-essential clang llvm libclang-rt-14-dev clang-format pkg-config
 libfdt-dev zlib1g-dev device-tree-compiler libslirp-dev libzstd-dev liblz4-dev
 libjson-c-dev libmicrohttpd-dev
 opensbi u-boot-qemu qemu-system-misc qemu-utils
 gcc-riscv64-linux-gnu libc6-dev-riscv64-cross cmake ninja-build
 gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf binutils-riscv64-unknown-elf
 linux-source-6.1 linux-source-6.12 flex bison bc libssl-dev libelf-dev cpio xz-utils
 e2fsprogs dpkg-dev python3 curl socat expect strace gdb-multiarch libseccomp2"

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done

# busybox is built from Debian's source package: apt-get source needs a deb-src
# entry. Reuse the URI and Signed-By of the existing bookworm deb822 entry so
# no host name is ever written by us.
need_src=0
if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ 2>/dev/null &&
   ! grep -qs '^deb-src' /etc/apt/sources.list 2>/dev/null; then
    need_src=1
fi

if [ "$need_src" -eq 1 ]; then
    src=$(grep -ls 'bookworm' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1 || true)
    if [ -n "$src" ]; then
        uri=$(awk '/^URIs:/{print $2; exit}' "$src")
        key=$(awk '/^Signed-By:/{print $2; exit}' "$src")
        {
            echo "Types: deb-src"
            echo "URIs: $uri"
            echo "Suites: bookworm"
            echo "Components: main"
            [ -n "$key" ] && echo "Signed-By: $key"
        } | $SUDO tee /etc/apt/sources.list.d/rvmm-src.sources >/dev/null
    elif [ -f /etc/apt/sources.list ]; then
        grep '^deb .*bookworm ' /etc/apt/sources.list | head -n1 | sed 's/^deb /deb-src /' |
            $SUDO tee /etc/apt/sources.list.d/rvmm-src.list >/dev/null
    fi
    missing="$missing __update__"
fi

if [ -n "$missing" ]; then
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $PKGS
fi
echo "install-deps: all packages present"
