#!/bin/sh
# Builds the libraries the riscv64 build of rvmm links (`make riscv64`) from
# Debian's source packages with the cross toolchain (gcc-riscv64-linux-gnu),
# as static archives in a sysroot in the cache: Debian bookworm has no
# riscv64 library packages on an amd64 host.
#
#   libfdt        device-tree-compiler, or linux-source-6.1's copy (required)
#   zlib          zlib                   (snapshot and migration compression)
#   zstd, lz4     libzstd, lz4           (migration compression)
#   json-c        json-c                 (the control API)
#   libmicrohttpd libmicrohttpd          (the control API)
#
# libslirp is left out: it needs GLib, whose cross build is out of scope, so
# the riscv64 build says so when `--net user` is asked for.
#
# Usage: scripts/build-riscv64-sysroot.sh [SYSROOT]
# SYSROOT defaults to $RVMM_CACHE/riscv64-sysroot (RVMM_CACHE defaults to
# ~/.cache/rvmm). Idempotent: a library whose stamp is there is not rebuilt.
set -eu

CACHE=${RVMM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rvmm}
SYSROOT=${1:-$CACHE/riscv64-sysroot}
CROSS=riscv64-linux-gnu
CC="$CROSS-gcc"
AR="$CROSS-ar"
SRC="$SYSROOT/src"
JOBS=${JOBS:-2}

command -v "$CC" >/dev/null || { echo "build-riscv64-sysroot: $CC is missing (apt-get install gcc-riscv64-linux-gnu)" >&2; exit 1; }
command -v cmake >/dev/null || { echo "build-riscv64-sysroot: cmake is missing (apt-get install cmake)" >&2; exit 1; }
mkdir -p "$SYSROOT/lib" "$SYSROOT/include" "$SRC"

# Unpacks Debian's source package $1 into $SRC/$1 (once) and prints the dir.
fetch() {
    pkg=$1
    if [ ! -f "$SRC/$pkg.unpacked" ]; then
        rm -rf "$SRC/$pkg.tmp" && mkdir -p "$SRC/$pkg.tmp"
        (cd "$SRC/$pkg.tmp" && apt-get source -q "$pkg" >/dev/null 2>&1) ||
            { echo "build-riscv64-sysroot: apt-get source $pkg failed (is deb-src configured? see scripts/install-deps.sh)" >&2; exit 1; }
        dir=$(find "$SRC/$pkg.tmp" -mindepth 1 -maxdepth 1 -type d | head -n1)
        rm -rf "$SRC/$pkg"
        mv "$dir" "$SRC/$pkg"
        rm -rf "$SRC/$pkg.tmp"
        touch "$SRC/$pkg.unpacked"
    fi
    echo "$SRC/$pkg"
}

built() { [ -f "$SYSROOT/.stamp-$1" ]; }
stamp() { touch "$SYSROOT/.stamp-$1"; echo "build-riscv64-sysroot: $1 done"; }

# libfdt: Debian's device-tree-compiler source when the archive serves it,
# else the same library as the kernel carries it (scripts/dtc/libfdt in
# linux-source-6.1, which the guest build installs). Only the library's
# own sources are compiled.
fetch_libfdt() {
    if (fetch device-tree-compiler) >/dev/null 2>&1; then
        echo "$SRC/device-tree-compiler/libfdt"
        return
    fi
    tarball=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n1)
    [ -n "$tarball" ] || { echo "build-riscv64-sysroot: no libfdt source: apt-get source device-tree-compiler failed and linux-source-6.1 is not installed" >&2; exit 1; }
    if [ ! -f "$SRC/linux-libfdt.unpacked" ]; then
        rm -rf "$SRC/linux-libfdt" && mkdir -p "$SRC/linux-libfdt"
        tar -xf "$tarball" -C "$SRC/linux-libfdt" --strip-components=4 --wildcards '*/scripts/dtc/libfdt/*'
        touch "$SRC/linux-libfdt.unpacked"
    fi
    echo "$SRC/linux-libfdt"
}
if ! built libfdt; then
    d=$(fetch_libfdt)
    rm -rf "$d/obj-rv" && mkdir -p "$d/obj-rv"
    for c in "$d"/fdt*.c; do
        "$CC" -O2 -I"$d" -c "$c" -o "$d/obj-rv/$(basename "$c" .c).o"
    done
    rm -f "$SYSROOT/lib/libfdt.a"
    "$AR" rcs "$SYSROOT/lib/libfdt.a" "$d"/obj-rv/*.o
    for h in fdt.h libfdt.h libfdt_env.h; do cp "$d/$h" "$SYSROOT/include/"; done
    stamp libfdt
fi

if ! built zlib; then
    d=$(fetch zlib)
    (cd "$d" && CC="$CC" AR="$AR" CHOST=$CROSS ./configure --static --prefix="$SYSROOT" >/dev/null &&
        make -s -j"$JOBS" libz.a && cp libz.a "$SYSROOT/lib/" && cp zlib.h zconf.h "$SYSROOT/include/")
    stamp zlib
fi

# zstd and lz4: their lib/ Makefiles build the static library alone.
if ! built zstd; then
    d=$(fetch libzstd)
    make -s -C "$d/lib" -j"$JOBS" CC="$CC" AR="$AR" libzstd.a >/dev/null
    cp "$d/lib/libzstd.a" "$SYSROOT/lib/"
    cp "$d/lib/zstd.h" "$d/lib/zdict.h" "$d/lib/zstd_errors.h" "$SYSROOT/include/"
    stamp zstd
fi

if ! built lz4; then
    d=$(fetch lz4)
    make -s -C "$d/lib" -j"$JOBS" CC="$CC" AR="$AR" liblz4.a >/dev/null
    cp "$d/lib/liblz4.a" "$SYSROOT/lib/"
    cp "$d/lib/lz4.h" "$d/lib/lz4hc.h" "$d/lib/lz4frame.h" "$SYSROOT/include/"
    stamp lz4
fi

if ! built json-c; then
    d=$(fetch json-c)
    rm -rf "$d/build-rv" && mkdir -p "$d/build-rv"
    (cd "$d/build-rv" && cmake -G Ninja .. -DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR=riscv64 \
        -DCMAKE_C_COMPILER="$CC" -DCMAKE_INSTALL_PREFIX="$SYSROOT" -DCMAKE_INSTALL_LIBDIR=lib \
        -DBUILD_SHARED_LIBS=OFF -DBUILD_STATIC_LIBS=ON -DBUILD_TESTING=OFF -DDISABLE_WERROR=ON \
        -DCMAKE_BUILD_TYPE=Release >/dev/null && ninja -j"$JOBS" >/dev/null && ninja install >/dev/null)
    stamp json-c
fi

if ! built microhttpd; then
    d=$(fetch libmicrohttpd)
    (cd "$d" && [ -x configure ] || autoreconf -fi >/dev/null 2>&1)
    (cd "$d" && ./configure -q --host=$CROSS CC="$CC" --prefix="$SYSROOT" --libdir="$SYSROOT/lib" \
        --enable-static --disable-shared --disable-https --disable-doc --disable-examples \
        --disable-curl --without-gnutls >/dev/null &&
        make -s -j"$JOBS" -C src/microhttpd >/dev/null && make -s -C src/microhttpd install >/dev/null &&
        cp src/include/microhttpd.h "$SYSROOT/include/")
    stamp microhttpd
fi

echo "build-riscv64-sysroot: $SYSROOT ready"
