#!/bin/sh
# Bad and unsupported qcow2 images: opening each gives one line naming the
# image and the reason, exit status 2, and leaves the file unchanged;
# compressed clusters fail the request that meets them with one log line.
# When RVMM names the rvmm binary, every refused image is also given to
# `rvmm --drive file=...`: exit status 2, one line, the image unchanged.
# One PASS/FAIL line per case. Env: BLKCHECK (tests/block/blkcheck.c), RVMM.
set -u
B=${BLKCHECK:-build/blkcheck}
B=$(realpath "$B")
RVMM=${RVMM:+$(realpath "$RVMM")}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
chmod 755 "$tmp"

poke() { # file, offset, hex bytes: overwrites bytes in place
    python3 -c 'import sys; f = open(sys.argv[1], "r+b"); f.seek(int(sys.argv[2])); f.write(bytes.fromhex(sys.argv[3]))' "$@"
}
refused() { # name, expected text, blkcheck args... (the image is the last one before the ops)
    name=$1 want=$2
    shift 2
    img=
    for a in "$@"; do case $a in -*) ;; *) img=$a; break ;; esac; done
    before=$(sha256sum <"$img")
    "$B" "$@" >/dev/null 2>err
    got=$?
    if [ $got -eq 2 ] && [ "$(wc -l <err)" -eq 1 ] && grep -q "$want" err &&
        [ "$(sha256sum <"$img")" = "$before" ]; then
        echo "PASS block/bad_$name"
    else
        echo "FAIL block/bad_$name (exit $got: $(head -c 200 err))"
    fi
    [ -n "$RVMM" ] || return 0
    ro=off
    [ "$1" = -r ] && ro=on
    : >empty.bin
    "$RVMM" --bios none --kernel empty.bin --drive "file=$img,readonly=$ro" </dev/null >/dev/null 2>err
    got=$?
    if [ $got -eq 2 ] && [ "$(wc -l <err)" -eq 1 ] && grep -q "^rvmm: .*$want" err &&
        [ "$(sha256sum <"$img")" = "$before" ]; then
        echo "PASS cli/drive_qcow2_$name"
    else
        echo "FAIL cli/drive_qcow2_$name (exit $got: $(head -c 200 err))"
    fi
}

qemu-img create -q -f qcow2 good.qcow2 16M
qemu-io -f qcow2 -c "write -P 0x5a 0 1M" good.qcow2 >/dev/null
fresh() { cp good.qcow2 "$1"; }

head -c 50 good.qcow2 >trunc.qcow2
refused truncated_header "trunc.qcow2: truncated" trunc.qcow2 s
head -c 70000 good.qcow2 >trunc2.qcow2
refused truncated_tables "trunc2.qcow2: .*outside the file" trunc2.qcow2 s
fresh l1.qcow2 && poke l1.qcow2 40 00000000ff000000
refused l1_beyond_eof "l1.qcow2: L1 table offset" l1.qcow2 s
fresh l1size.qcow2 && poke l1size.qcow2 36 ffffffff
refused huge_l1_size "l1size.qcow2: bad L1 table size" l1size.qcow2 s
fresh rt.qcow2 && poke rt.qcow2 48 0000000000000000
refused refcount_table_on_header "rt.qcow2: refcount table overlaps the header" rt.qcow2 s
fresh cb.qcow2 && poke cb.qcow2 20 0000001e
refused cluster_bits_30 "cb.qcow2: cluster_bits 30" cb.qcow2 s
fresh ver.qcow2 && poke ver.qcow2 4 00000004
refused version_4 "ver.qcow2: qcow2 version 4" ver.qcow2 s
fresh rorder.qcow2 && poke rorder.qcow2 96 00000007
refused refcount_order_7 "rorder.qcow2: refcount_order 7" rorder.qcow2 s
fresh incompat.qcow2 && poke incompat.qcow2 78 0400
refused unknown_incompat_bit "incompat.qcow2: unsupported qcow2 features: bit 10" incompat.qcow2 s
fresh corrupt.qcow2 && poke corrupt.qcow2 79 02
refused corrupt_bit "corrupt.qcow2: image is marked corrupt" corrupt.qcow2 s
fresh dirty.qcow2 && poke dirty.qcow2 79 01
refused dirty_writable "dirty.qcow2: image is dirty" dirty.qcow2 s
if "$B" -r dirty.qcow2 r:0:1M:0x5a 2>/dev/null; then echo "PASS block/dirty_readonly_reads"; else echo "FAIL block/dirty_readonly_reads"; fi

qemu-img create -q -f qcow2 -u -b nowhere.raw -F raw nobase.qcow2 16M
refused missing_backing "nobase.qcow2: backing file .*nowhere.raw: No such file" nobase.qcow2 s
qemu-img create -q -f qcow2 -u -b loopb.qcow2 -F qcow2 loopa.qcow2 16M
qemu-img create -q -f qcow2 -u -b loopa.qcow2 -F qcow2 loopb.qcow2 16M
refused backing_loop "loopb.qcow2: backing file loop: loopa.qcow2" -r loopa.qcow2 s
refused backing_loop_writable "loopb.qcow2: backing file loop: loopa.qcow2" loopa.qcow2 s
qemu-img create -q -f qcow2 -u -b self.qcow2 -F qcow2 self.qcow2 16M 2>/dev/null ||
    { fresh self.qcow2 && qemu-img rebase -q -u -b self.qcow2 -F qcow2 self.qcow2; }
refused backing_self "self.qcow2: the image is its own backing file" self.qcow2 s
qemu-img create -q -f qcow2 -o extended_l2=on extl2.qcow2 16M
refused extended_l2 "extl2.qcow2: extended L2 entries are not supported" extl2.qcow2 s
qemu-img create -q -f qcow2 -o data_file=ext.raw extdata.qcow2 16M
refused external_data_file "extdata.qcow2: external data files are not supported" extdata.qcow2 s
# Encryption is the header's crypt_method field (offset 32: 1 AES, 2 LUKS),
# written directly: qemu-img's LUKS key derivation is timed and fails on a
# loaded machine.
fresh enc.qcow2 && poke enc.qcow2 32 00000002
refused encrypted "enc.qcow2: encrypted qcow2 images are not supported" enc.qcow2 s
fresh encaes.qcow2 && poke encaes.qcow2 32 00000001
refused encrypted_aes "encaes.qcow2: encrypted qcow2 images are not supported" encaes.qcow2 s
fresh snap.qcow2 && qemu-img snapshot -c s1 snap.qcow2
refused snapshots_writable "snap.qcow2: images with internal snapshots can only be opened read-only" snap.qcow2 s
if "$B" -r snap.qcow2 r:0:1M:0x5a 2>/dev/null; then echo "PASS block/snapshots_readonly_reads"; else echo "FAIL block/snapshots_readonly_reads"; fi

# A file whose mode says read-only, opened for writing (refused by mode,
# so also when the tests run as root).
fresh ro.qcow2 && chmod 444 ro.qcow2
refused readonly_file "ro.qcow2: the file is read-only" ro.qcow2 s

# Compressed clusters: the image opens, the request that meets one fails
# with one log line, other clusters still read.
qemu-img convert -c -O qcow2 good.qcow2 comp.qcow2
before=$(sha256sum <comp.qcow2)
"$B" comp.qcow2 r:2M:1M:0 r:0:4096:0x5a >/dev/null 2>err
got=$?
"$B" comp.qcow2 w:0:512:1 >/dev/null 2>err2
got2=$?
if [ $got -eq 1 ] && [ $got2 -eq 1 ] && grep -q "comp.qcow2: compressed clusters are not supported" err &&
    [ "$(grep -c compressed err)" -eq 1 ] && [ "$(sha256sum <comp.qcow2)" = "$before" ]; then
    echo "PASS block/compressed_refused_on_use"
else
    echo "FAIL block/compressed_refused_on_use (exit $got/$got2: $(head -c 300 err))"
fi

# An image another process has open for writing.
if [ -n "$RVMM" ]; then
    fresh busy.qcow2
    "$B" busy.qcow2 sleep:30 >open.out 2>&1 &
    pid=$!
    # Wait for blkcheck to say it holds the image, not for a time.
    for i in $(seq 300); do grep -q OPEN open.out && break; sleep 0.1; done
    : >empty.bin
    "$RVMM" --bios none --kernel empty.bin --drive file=busy.qcow2 </dev/null >/dev/null 2>err
    got=$?
    kill -9 $pid
    wait $pid 2>/dev/null
    if [ $got -eq 2 ] && [ "$(wc -l <err)" -eq 1 ] &&
        grep -q "^rvmm: .*busy.qcow2: image is in use by another process" err; then
        echo "PASS cli/drive_qcow2_in_use"
    else
        echo "FAIL cli/drive_qcow2_in_use (exit $got: $(head -c 200 err))"
    fi
fi
