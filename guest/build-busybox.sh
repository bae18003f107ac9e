#!/bin/sh
# Builds a static riscv64 busybox from Debian's source package and installs it
# into $RVMM_CACHE/guest/rootfs (the guest's root file system tree).
# Idempotent: does nothing when rootfs/bin/busybox exists and neither this
# script nor the source package changed.
set -eu
. "$(dirname "$0")/lib.sh"
lock busybox

BB_SRC=$WORK_DIR/busybox-src
ROOTFS=$GUEST_DIR/rootfs
STAMP=$GUEST_DIR/busybox.stamp

# Applets the guest and the tests rely on; the build fails without them.
APPLETS="sh ash cttyhack setsid mount umount mountpoint init sync dmesg poweroff reboot halt
 sha256sum md5sum gzip gunzip sort awk dd ip udhcpc wget nc cat echo ls mkdir
 grep sed head tail wc uname sleep hostname ifconfig route ping seq cmp"

need "${CROSS_COMPILE}gcc" make apt-get dpkg-source

# --- fetch the Debian source package (once) -----------------------------------
find_tree() {
    for d in "$BB_SRC"/busybox-*/; do
        [ -f "$d/Makefile" ] && [ -f "$d/Config.in" ] && { echo "${d%/}"; return 0; }
    done
    return 1
}
if ! BB=$(find_tree); then
    msg "fetching the busybox source package (apt-get source busybox)"
    rm -rf "$BB_SRC"
    mkdir -p "$BB_SRC"
    (cd "$BB_SRC" && run busybox apt-get source busybox) ||
        die "apt-get source busybox failed; does apt have a deb-src entry? (scripts/install-deps.sh)"
    BB=$(find_tree) || die "no busybox tree after apt-get source"
fi
dsc=none
for f in "$BB_SRC"/*.dsc; do [ -f "$f" ] && dsc=${f##*/}; done

stamp=$(printf '%s\n%s\n' "$dsc" "$(hash_files "$0")")
if [ -x "$ROOTFS/bin/busybox" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$stamp" ]; then
    msg "up to date: $ROOTFS/bin/busybox"
    exit 0
fi

bbmake() {
    run busybox make -C "$BB" ARCH=riscv CROSS_COMPILE="$CROSS_COMPILE" "$@"
}

# set_cfg NAME VALUE: VALUE is y, n or a quoted string.
set_cfg() {
    sed -i -e "/^CONFIG_$1=/d" -e "/^# CONFIG_$1 is not set\$/d" "$BB/.config"
    if [ "$2" = n ]; then
        echo "# CONFIG_$1 is not set"
    else
        echo "CONFIG_$1=$2"
    fi >>"$BB/.config"
}

# --- configure -----------------------------------------------------------------
msg "configuring busybox ($(basename "$BB")): defconfig + static"
bbmake defconfig
set_cfg STATIC y
set_cfg CROSS_COMPILER_PREFIX "\"$CROSS_COMPILE\""
set_cfg TC n                       # needs CBQ headers newer kernels dropped
set_cfg FEATURE_TC_INGRESS n
set_cfg FEATURE_SH_STANDALONE n
set_cfg PAM n
set_cfg SELINUX n
set_cfg WERROR n
(cd "$BB" && yes '' | run busybox make ARCH=riscv CROSS_COMPILE="$CROSS_COMPILE" oldconfig)
grep -qx 'CONFIG_STATIC=y' "$BB/.config" || die "CONFIG_STATIC=y did not stick"
! grep -q '^CONFIG_TC=y' "$BB/.config" || die "CONFIG_TC=y still set"

# --- build and install -----------------------------------------------------------
msg "building busybox with $JOBS jobs (log: $LOG_DIR/busybox.log)"
start=$(date +%s)
bbmake -j"$JOBS"
file_out=$(file -b "$BB/busybox" 2>/dev/null || true)
case $file_out in
*RISC-V*statically*|*RISC-V*static-pie*|"") ;;
*) die "busybox is not a static RISC-V binary: $file_out" ;;
esac

rm -rf "$ROOTFS.new"
bbmake CONFIG_PREFIX="$ROOTFS.new" install
missing=""
for a in $APPLETS; do
    [ -e "$ROOTFS.new/bin/$a" ] || [ -e "$ROOTFS.new/sbin/$a" ] ||
        [ -e "$ROOTFS.new/usr/bin/$a" ] || [ -e "$ROOTFS.new/usr/sbin/$a" ] ||
        missing="$missing $a"
done
[ -z "$missing" ] || die "busybox lacks applets:$missing"

rm -rf "$ROOTFS"
mv "$ROOTFS.new" "$ROOTFS"
printf '%s\n' "$stamp" >"$STAMP"
msg "installed $ROOTFS ($(($(date +%s) - start)) s)"
