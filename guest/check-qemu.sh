#!/bin/sh
# Boots the guest (Image + initramfs from $RVMM_CACHE/guest) and checks that
# it works: banner, shell prompt, arithmetic, /proc/cpuinfo harts, virtio
# devices, then `poweroff -f` must end the VM with status 0.
#
# usage: guest/check-qemu.sh [--smp N] [--timeout SECONDS] [-- VM COMMAND...]
#
# Without a VM command it runs QEMU (the reference) with a virtio-rng and a
# virtio-net device and also checks those. With `-- CMD...` it runs CMD
# instead (e.g. rvmm with the same kernel/initrd) and skips the device checks
# unless CHECK_DEVICES=1. The console transcript goes to
# $RVMM_CACHE/guest/logs/check-qemu.log (printed on failure; VERBOSE=1 shows it live).
set -eu
. "$(dirname "$0")/lib.sh"

SMP=1
TIMEOUT=120
while [ $# -gt 0 ]; do
    case $1 in
    --smp) SMP=$2; shift 2 ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    --) shift; break ;;
    -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
    *) die "unknown argument: $1" ;;
    esac
done

KERNEL=${GUEST_KERNEL:-$GUEST_DIR/Image}
INITRD=${GUEST_INITRD:-$GUEST_DIR/initramfs.cpio.gz}
FW=${OPENSBI_FW:-/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin}
QEMU=${QEMU:-qemu-system-riscv64}
need expect

if [ $# -eq 0 ]; then
    need "$QEMU"
    for f in "$KERNEL" "$INITRD" "$FW"; do
        [ -f "$f" ] || die "$f missing (run guest/build.sh)"
    done
    set -- "$QEMU" -M virt -m 256M -smp "$SMP" -nographic -bios "$FW" \
        -kernel "$KERNEL" -initrd "$INITRD" \
        -append "console=ttyS0 earlycon=sbi" \
        -device virtio-rng-device \
        -netdev user,id=net0 -device virtio-net-device,netdev=net0
    CHECK_DEVICES=${CHECK_DEVICES:-1}
fi

LOG=$LOG_DIR/check-qemu.log
EXP=$(mktemp "${TMPDIR:-/tmp}/rvmm-check.XXXXXX")
trap 'rm -f "$EXP"' EXIT

cat >"$EXP" <<'EXPECT'
set timeout $env(CHECK_TIMEOUT)
set smp $env(CHECK_SMP)
log_user [expr {[info exists env(VERBOSE)] && $env(VERBOSE) eq "1"}]
log_file -a -noappend $env(CHECK_LOG)
set prompt {\n[~/][^\r\n]* # $}

proc note {m} { send_user "check-qemu: $m\n" }
proc fail {m} {
    note "FAIL: $m"
    catch {exec kill -9 [exp_pid]}
    exit 1
}
# run CMD PATTERN WHAT: send CMD, wait for PATTERN (regexp), then the prompt.
# Console lines end in \r\r\n (serial + pty), so patterns anchor on \n ... \r.
proc run {cmd pat what} {
    global prompt
    send -- "$cmd\r"
    expect {
        -re $pat {}
        timeout { fail "$what: no match for /$pat/ after `$cmd`" }
        eof { fail "$what: VM exited" }
    }
    expect {
        -re $prompt {}
        timeout { fail "$what: no prompt after `$cmd`" }
        eof { fail "$what: VM exited" }
    }
    note "ok: $what"
}

note "starting: $argv"
set t0 [clock milliseconds]
spawn -noecho {*}$argv
expect {
    "rvmm guest ready" {}
    "Kernel panic" { fail "kernel panic" }
    timeout { fail "no banner within $timeout s" }
    eof { fail "VM exited before the banner" }
}
set t1 [clock milliseconds]
expect {
    -re $prompt {}
    timeout { fail "no shell prompt" }
    eof { fail "VM exited before the prompt" }
}
set t2 [clock milliseconds]
note [format "banner after %.2f s, shell prompt after %.2f s" \
    [expr {($t1 - $t0) / 1000.0}] [expr {($t2 - $t0) / 1000.0}]]

set timeout 30
run {echo $((6*7))} {\n42\r} "arithmetic (6*7 = 42)"
run {cat /proc/cpuinfo} {hart\s*: [0-9]+} "/proc/cpuinfo shows a hart"
run {echo "cpus=$(grep -c ^processor /proc/cpuinfo)."} "\ncpus=$smp\\.\r" "$smp processor(s)"
run {dmesg | grep -i virtio; echo "virtio-rc=$?."} {\nvirtio-rc=[01]\.\r} "dmesg | grep -i virtio"
run {uname -a} {\nLinux rvmm [^\r\n]*riscv64} "uname"
run {sleep 1 & wait; echo "jobs=ok."} {\njobs=ok\.\r} "background job"
# ^C must reach the foreground job (the shell has the console as its tty).
send -- "sleep 60\r"
sleep 0.5
send -- "\003"
expect {
    -re $prompt {}
    timeout { fail "^C did not interrupt sleep (no job control on the console?)" }
    eof { fail "VM exited on ^C" }
}
note "ok: ^C interrupts the foreground job"
if {$env(CHECK_DEVICES) eq "1"} {
    run {head -c 64 /dev/hwrng | wc -c} {\n\s*64\r} "virtio-rng (/dev/hwrng)"
    run {ip link set eth0 up && ip -o link show eth0} {eth0: <[^>]*UP} "virtio-net (eth0 up)"
    run {cat /sys/bus/virtio/devices/*/device | sort | tr '\n' ' '; echo .} \
        {0x0001 0x0004 \.} "virtio ids (net, rng)"
}

send -- "poweroff -f\r"
expect {
    eof {}
    timeout { fail "VM did not exit after poweroff -f" }
}
set st [wait]
set code [lindex $st 3]
if {[lindex $st 2] != 0 || $code != 0} { fail "VM exit status: $st" }
note [format "PASS (%.2f s total)" [expr {([clock milliseconds] - $t0) / 1000.0}]]
EXPECT

export CHECK_TIMEOUT="$TIMEOUT" CHECK_SMP="$SMP" CHECK_LOG="$LOG" CHECK_DEVICES="${CHECK_DEVICES:-0}"
if ! expect -f "$EXP" -- "$@"; then
    msg "console transcript ($LOG), last lines:"
    tail -n 40 "$LOG" >&2
    exit 1
fi
