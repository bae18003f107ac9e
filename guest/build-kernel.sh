#!/bin/sh
# Builds the rvmm guest kernel: $RVMM_CACHE/guest/Image (Linux 6.1, riscv64).
#
# Unpacks Debian's /usr/src/linux-source-6.1.tar.xz into the cache, configures
# it as tinyconfig + guest/linux.config, checks the result, builds Image.
# Idempotent: does nothing when the Image exists and neither the fragment,
# this script nor the source tarball changed; otherwise rebuilds
# incrementally in the same tree.
set -eu
. "$(dirname "$0")/lib.sh"
lock kernel

KSRC_TAR=${KSRC_TAR:-/usr/src/linux-source-6.1.tar.xz}
FRAGMENT=$GUEST_SRC/linux.config
KDIR=$WORK_DIR/linux
IMAGE=$GUEST_DIR/Image
STAMP=$GUEST_DIR/Image.stamp

# Options the guest cannot do without (on top of every line of the fragment,
# which is checked as well). CLINT_TIMER is absent: 6.1 offers it only to
# M-mode kernels; ARCH_VIRT is called SOC_VIRT in 6.1.
REQUIRED="64BIT MMU SMP NONPORTABLE SOC_VIRT RISCV_ISA_C FPU RISCV_SBI
 RISCV_SBI_V01 SERIAL_EARLYCON_RISCV_SBI HVC_RISCV_SBI SERIAL_8250
 SERIAL_8250_CONSOLE SERIAL_OF_PLATFORM RISCV_TIMER SIFIVE_PLIC PRINTK TTY
 BLK_DEV_INITRD RD_GZIP BINFMT_ELF BINFMT_SCRIPT DEVTMPFS DEVTMPFS_MOUNT
 PROC_FS SYSFS TMPFS FUTEX EPOLL UNIX98_PTYS VIRTIO_MMIO VIRTIO_BLK VIRTIO_NET
 VIRTIO_CONSOLE VIRTIO_BALLOON HW_RANDOM_VIRTIO EXT4_FS NET INET UNIX PACKET
 RTC_DRV_GOLDFISH POWER_RESET_SYSCON POWER_RESET_SYSCON_POWEROFF
 VIRTUALIZATION KVM HOTPLUG_CPU MULTIUSER SHMEM FILE_LOCKING POSIX_TIMERS"

[ -f "$KSRC_TAR" ] || die "$KSRC_TAR missing; run scripts/install-deps.sh (linux-source-6.1)"
need "${CROSS_COMPILE}gcc" make tar xz flex bison bc

src_id=$(stat -c '%n %s %Y' "$KSRC_TAR")
stamp=$(printf '%s\n%s\n' "$src_id" "$(hash_files "$FRAGMENT" "$0")")

if [ -f "$IMAGE" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$stamp" ]; then
    msg "up to date: $IMAGE"
    exit 0
fi

# --- unpack (only when missing or the tarball changed) -----------------------
if [ ! -f "$KDIR/.rvmm-src" ] || [ "$(cat "$KDIR/.rvmm-src")" != "$src_id" ]; then
    msg "unpacking $KSRC_TAR"
    rm -rf "$KDIR" "$KDIR.tmp"
    mkdir -p "$KDIR.tmp"
    run kernel tar -C "$KDIR.tmp" -xf "$KSRC_TAR"
    top=$(ls "$KDIR.tmp")
    [ -f "$KDIR.tmp/$top/Makefile" ] || die "unexpected layout in $KSRC_TAR"
    mv "$KDIR.tmp/$top" "$KDIR"
    rmdir "$KDIR.tmp"
    printf '%s\n' "$src_id" >"$KDIR/.rvmm-src"
fi

# KBUILD_BUILD_USER/HOST keep this machine's names out of the version string.
kmake() {
    run kernel make -C "$KDIR" ARCH=riscv CROSS_COMPILE="$CROSS_COMPILE" \
        KBUILD_BUILD_USER=rvmm KBUILD_BUILD_HOST=rvmm "$@"
}

# --- configure ---------------------------------------------------------------
msg "configuring (tinyconfig + guest/linux.config)"
kmake tinyconfig
(cd "$KDIR" && run kernel env ARCH=riscv ./scripts/kconfig/merge_config.sh -m .config "$FRAGMENT")
kmake olddefconfig

# --- check: olddefconfig drops options silently -------------------------------
missing=""
for opt in $REQUIRED; do
    grep -q "^CONFIG_$opt=y\$" "$KDIR/.config" || missing="$missing CONFIG_$opt"
done
# Every line of the fragment must have survived as written.
while IFS= read -r line; do
    case $line in
    CONFIG_*=*)
        grep -qxF "$line" "$KDIR/.config" || missing="$missing $line"
        ;;
    "# CONFIG_"*" is not set")
        opt=${line#\# }
        opt=${opt%% *}
        if grep -q "^$opt=" "$KDIR/.config"; then missing="$missing !$opt"; fi
        ;;
    esac
done <"$FRAGMENT"
if [ -n "$missing" ]; then
    msg "the merged .config ($KDIR/.config) does not match guest/linux.config:"
    for m in $missing; do msg "    missing/wrong: $m"; done
    die "kernel configuration check failed (a dependency is probably unmet)"
fi

# --- build -------------------------------------------------------------------
msg "building Image with $JOBS jobs (log: $LOG_DIR/kernel.log)"
start=$(date +%s)
kmake -j"$JOBS" Image
[ -f "$KDIR/arch/riscv/boot/Image" ] || die "no arch/riscv/boot/Image after build"
cp "$KDIR/arch/riscv/boot/Image" "$IMAGE.tmp"
mv "$IMAGE.tmp" "$IMAGE"
printf '%s\n' "$stamp" >"$STAMP"
msg "built $IMAGE ($(make -s -C "$KDIR" ARCH=riscv kernelrelease 2>/dev/null), $(($(date +%s) - start)) s)"
