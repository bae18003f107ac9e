#!/bin/sh
# qcow2 interoperability with QEMU's tools, both ways, through tests/block/
# blkcheck (rvmm's block backends): images written by qemu-io read back
# through rvmm, images written by rvmm verified by qemu-io and found clean
# by qemu-img check; backing chains leave their bases unchanged; image
# locking; kill -9 of a writer never corrupts an image. One PASS/FAIL line
# per case. Env: BLKCHECK (the driver binary).
set -u
B=${BLKCHECK:-build/blkcheck}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
B=$(cd "$OLDPWD" && realpath "$B")

result() { # name, status, detail
    if [ "$2" -eq 0 ]; then echo "PASS block/$1"; else echo "FAIL block/$1 ${3:-}"; fi
}
qio() { # image, commands...: 0 when every qemu-io command succeeded
    img=$1
    shift
    out=$(for c in "$@"; do printf '%s\0' "$c"; done | xargs -0 -I{} echo -c {} | tr '\n' '\0' |
        xargs -0 qemu-io -f qcow2 "$img" 2>&1)
    ! printf '%s\n' "$out" | grep -qiE 'fail|error|verification'
}
clean() { # image: qemu-img check finds no errors and no leaks
    qemu-img check -q "$1" >"$tmp/check.out" 2>&1
}
wait_open() { # file: until blkcheck wrote OPEN there (it holds the image), 30 s at most
    for i in $(seq 300); do
        grep -q OPEN "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}
no_corruption() { # image: exit 0 (clean) or 3 (leaks only)
    qemu-img check "$1" >"$tmp/check.out" 2>&1
    s=$?
    [ $s -eq 0 ] || [ $s -eq 3 ]
}

# 1. QEMU writes, rvmm reads: several layouts qemu-img can create.
for opts in "cluster_size=65536" "compat=0.10" "cluster_size=512" "cluster_size=2M" \
    "refcount_bits=1" "refcount_bits=64,cluster_size=4096"; do
    name=$(echo "$opts" | tr ',=' '__')
    qemu-img create -q -f qcow2 -o "$opts" q.qcow2 64M
    qemu-io -f qcow2 -c "write -P 0x11 0 70k" -c "write -P 0x22 1M 4k" -c "write -P 0x33 63M 1M" \
        -c "write -P 0x44 8M 2M" -c "write -z 8704k 512k" q.qcow2 >/dev/null
    $B q.qcow2 r:0:70k:0x11 r:70k:954k:0 r:1M:4k:0x22 r:63M:1M:0x33 r:8M:512k:0x44 \
        r:8704k:512k:0 r:9216k:1M:0x44
    result "qemu_to_rvmm_$name" $?

    # 2. rvmm writes (unaligned, across clusters and L2 tables), QEMU reads.
    $B q.qcow2 w:4096:8192:0x55 w:100001:300000:0x66 w:40M:3M:0x77 w:8M:1:0x88 f &&
        qio q.qcow2 "read -P 0x11 0 4096" "read -P 0x55 4096 8192" "read -P 0x66 100001 300000" \
            "read -P 0x77 40M 3M" "read -P 0 43M 1M" "read -P 0x88 8M 1" "read -P 0x44 8388609 511" \
            "read -P 0x33 63M 1M" &&
        clean q.qcow2
    result "rvmm_to_qemu_$name" $? "$(head -c 300 "$tmp/check.out")"

    # 3. Discard and write-zeroes, whole and partial clusters.
    $B q.qcow2 d:63M:1M z:40M:1M k:41M:1M z:100000:5000 f &&
        qio q.qcow2 "read -P 0 40M 2M" "read -P 0x77 42M 1M" "read -P 0 100000 5000" \
            "read -P 0x66 105000 195001" &&
        $B q.qcow2 r:0:4k:0x11 &&
        clean q.qcow2
    result "zero_discard_$name" $? "$(head -c 300 "$tmp/check.out")"
done

# 4. Enough allocation with 512-byte clusters to grow the refcount table
# (one table cluster covers 8 MiB here), then reopen and read back.
qemu-img create -q -f qcow2 -o cluster_size=512 g.qcow2 64M
$B g.qcow2 w:0:20M:0x5a w:30M:1M:0xa5 f && $B g.qcow2 r:0:20M:0x5a r:30M:1M:0xa5 &&
    qio g.qcow2 "read -P 0x5a 0 20M" "read -P 0xa5 30M 1M" && clean g.qcow2
result refcount_table_growth $? "$(head -c 300 "$tmp/check.out")"

# 5. Overlays: on a raw base and on a qcow2 base (a chain of three).
head -c 4194304 /dev/zero | tr '\0' '\141' >base.raw
sum_raw=$(sha256sum <base.raw)
qemu-img create -q -f qcow2 -b base.raw -F raw ov1.qcow2 8M
$B ov1.qcow2 r:0:4M:0x61 r:4M:4M:0 w:1000:10:0x62 w:4190000:10000:0x63 f &&
    $B ov1.qcow2 r:0:1000:0x61 r:1000:10:0x62 r:1010:64526:0x61 r:4190000:10000:0x63 &&
    qio ov1.qcow2 "read -P 0x61 0 1000" "read -P 0x62 1000 10" "read -P 0x61 1010 4188990" &&
    clean ov1.qcow2 && [ "$(sha256sum <base.raw)" = "$sum_raw" ]
result overlay_on_raw $? "$(head -c 300 "$tmp/check.out")"

qemu-img create -q -f qcow2 mid0.qcow2 8M
qemu-io -f qcow2 -c "write -P 0x71 0 8M" mid0.qcow2 >/dev/null
qemu-img create -q -f qcow2 -b mid0.qcow2 -F qcow2 mid1.qcow2 8M
qemu-io -f qcow2 -c "write -P 0x72 1M 1M" mid1.qcow2 >/dev/null
mkdir sub && qemu-img create -q -f qcow2 -b ../mid1.qcow2 -F qcow2 sub/top.qcow2 8M # relative path
sum_mid=$(cat mid0.qcow2 mid1.qcow2 | sha256sum)
# The base is outside sub/ (the top image's directory): -b allows it.
$B -b . sub/top.qcow2 r:0:1M:0x71 r:1M:1M:0x72 r:2M:6M:0x71 w:1048000:1000:0x73 d:4M:64k z:5M:64k f &&
    $B -b "$tmp" sub/top.qcow2 r:1047552:448:0x71 r:1048000:1000:0x73 r:1049000:1000:0x72 r:5M:64k:0 &&
    clean sub/top.qcow2 && [ "$(cat mid0.qcow2 mid1.qcow2 | sha256sum)" = "$sum_mid" ]
result overlay_chain_qcow2 $? "$(head -c 300 "$tmp/check.out")"

# Without the backing format extension (renamed to an unknown type, which
# is skipped) the format of the base is probed.
cp sub/top.qcow2 sub/probed.qcow2
python3 -c 'import sys
f = open(sys.argv[1], "r+b"); head = f.read(4096); i = head.index(bytes.fromhex("e2792aca"))
f.seek(i); f.write(bytes.fromhex("0badcafe"))' sub/probed.qcow2
$B -b . -r sub/probed.qcow2 r:0:1000000:0x71 r:1048000:1000:0x73 r:1049000:1000:0x72 r:2M:2M:0x71
result backing_format_probed $?

# 6. Locking: a second writer, and QEMU's own tools, see the image in use.
qemu-img create -q -f qcow2 l.qcow2 1G
$B l.qcow2 sleep:30 >open.out 2>&1 &
pid=$!
wait_open open.out
$B l.qcow2 s >/dev/null 2>"$tmp/lock.err"
s1=$?
qemu-img info l.qcow2 >/dev/null 2>&1
s2=$?
kill -9 $pid
wait $pid 2>/dev/null
grep -q 'l.qcow2: image is in use by another process' "$tmp/lock.err" && [ $s1 -eq 2 ] && [ $s2 -ne 0 ] &&
    $B l.qcow2 s >/dev/null
result image_locking $? "$(cat "$tmp/lock.err")"
head -c 1048576 /dev/zero >l.raw
qemu-io -f raw -c "sleep 3000" l.raw >/dev/null 2>&1 &
pid=$!
# qemu-io says nothing once it holds the lock: ask until it does (or 30 s).
for i in $(seq 300); do
    $B -f raw l.raw s >/dev/null 2>"$tmp/lock.err"
    s1=$?
    [ $s1 -eq 2 ] && break
    sleep 0.1
done
kill $pid
wait $pid 2>/dev/null
[ $s1 -eq 2 ] && grep -q 'in use' "$tmp/lock.err"
result raw_locked_by_qemu $? "$(cat "$tmp/lock.err")"

# 7. Crash consistency: kill -9 a writer at random points; the image has
# no corruption (leaks allowed) and every flushed write reads back.
for opts in "cluster_size=65536" "cluster_size=512" "cluster_size=4096,refcount_bits=1"; do
    name=$(echo "$opts" | tr ',=' '__')
    qemu-img create -q -f qcow2 -o "$opts" c.qcow2 1G
    ok=0
    # Each round writes its own 16000 slots (of the 65536 a 1 GiB image
    # has), so verify never meets a slot a later round rewrote, however
    # far a writer got before the kill.
    for round in 0 1 2 3; do
        $B c.qcow2 "crash:$((round * 16000)):16000" >crash.log 2>&1 &
        pid=$!
        sleep "0.$(shuf -i 2-9 -n 1)"
        kill -9 $pid
        wait $pid 2>/dev/null
        if ! no_corruption c.qcow2; then ok=1; break; fi
        if ! $B c.qcow2 verify:crash.log >/dev/null 2>"$tmp/verify.err"; then ok=1; break; fi
    done
    result "crash_kill9_$name" $ok "$(head -c 300 "$tmp/check.out" "$tmp/verify.err" 2>/dev/null)"
done

# 8. Kill points chosen instead of timed: strace kills the writer as it
# enters its Nth pwrite (every metadata update is one), for every fifth N
# across the whole run, with 512-byte clusters and 64-bit refcounts (a
# refcount block per 32 KiB, so many are created).
qemu-img create -q -f qcow2 -o cluster_size=512,refcount_bits=64 k0.qcow2 2M
ok=0 runs=0
n=1
while [ $n -lt 2000 ]; do
    cp k0.qcow2 k.qcow2
    # LeakSanitizer cannot run under ptrace.
    ASAN_OPTIONS=detect_leaks=0 strace -o /dev/null -e trace=pwrite64 \
        -e inject=pwrite64:signal=KILL:when=$n "$B" k.qcow2 crash:0 >k.log 2>/dev/null
    grep -q DONE k.log && break # the run has fewer writes than n
    runs=$((runs + 1))
    if ! no_corruption k.qcow2; then ok=1; break; fi
    if ! $B k.qcow2 verify:k.log >/dev/null 2>"$tmp/verify.err"; then ok=1; break; fi
    n=$((n + 5))
done
[ $runs -gt 50 ] || ok=1
result "kill_at_pwrite_points_$runs" $ok "(at pwrite $n: $(head -c 300 "$tmp/check.out" "$tmp/verify.err" 2>/dev/null))"
