#!/bin/sh
# Bad input on the command line and in image files: each case must give one
# line on stderr and exit status 2, never a crash. One PASS/FAIL line per case.
set -u
RVMM=${RVMM:-build/rvmm}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A truncated ELF: the first 100 bytes of a valid one.
elf=$(ls "${BUILD:-build}"/isa/*.elf 2>/dev/null | head -n1)
if [ -n "$elf" ]; then head -c 100 "$elf" > "$tmp/trunc.elf"; else printf '\177ELF\002\001\001' > "$tmp/trunc.elf"; fi
# An ELF whose program headers claim to be past the end of the file.
if [ -n "$elf" ]; then
    cp "$elf" "$tmp/badph.elf"
    printf '\377\377\377\377' | dd of="$tmp/badph.elf" bs=1 seek=32 conv=notrunc 2>/dev/null
fi
: > "$tmp/empty.bin"

check() { # name, expected status, args...
    name=$1 want=$2
    shift 2
    "$RVMM" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
    got=$?
    lines=$(wc -l <"$tmp/err")
    if [ "$got" -eq "$want" ] && [ "$lines" -eq 1 ] && grep -q '^rvmm: ' "$tmp/err"; then
        echo "PASS cli/$name"
    else
        echo "FAIL cli/$name (exit $got, want $want; stderr: $(head -c 200 "$tmp/err"))"
    fi
}

check missing_kernel 2 --bios none --kernel "$tmp/does-not-exist"
check truncated_elf 2 --bios none --kernel "$tmp/trunc.elf"
[ -f "$tmp/badph.elf" ] && check elf_phdrs_past_end 2 --bios none --kernel "$tmp/badph.elf"
check empty_kernel 2 --bios none --kernel "$tmp/empty.bin"
check mem_zero 2 --bios none --kernel "$tmp/empty.bin" -m 0
check mem_16E 2 --bios none --kernel "$tmp/empty.bin" -m 16E
check mem_abc 2 --bios none --kernel "$tmp/empty.bin" -m abc
check mem_negative 2 --bios none --kernel "$tmp/empty.bin" -m -5
check unknown_option 2 --frobnicate
check missing_option_value 2 --kernel
check smp_zero 2 --bios none --kernel "$tmp/empty.bin" --smp 0
check smp_too_many 2 --bios none --kernel "$tmp/empty.bin" --smp 33
check bad_engine 2 --bios none --kernel "$tmp/empty.bin" --engine warp
# --cpu: an unknown extension, malformed lists, a combination the spec
# forbids (D without F), an extension rvmm cannot change.
check cpu_unknown_ext 2 --bios none --kernel "$elf" --cpu rv64,warp=on
check cpu_not_rv64 2 --bios none --kernel "$elf" --cpu rv32
check cpu_no_value 2 --bios none --kernel "$elf" --cpu rv64,d
check cpu_empty_item 2 --bios none --kernel "$elf" --cpu rv64,,d=on
check cpu_bad_value 2 --bios none --kernel "$elf" --cpu rv64,d=maybe
check cpu_d_without_f 2 --bios none --kernel "$elf" --cpu rv64,f=off
check cpu_fixed_ext 2 --bios none --kernel "$elf" --cpu rv64,c=off
check cpu_unknown_profile 2 --bios none --kernel "$elf" --cpu rva24
check cpu_profile_unknown_ext 2 --bios none --kernel "$elf" --cpu rva23,zfoo=on
# VLEN: not a power of two, out of range, not a number, without V
check cpu_vlen_not_pow2 2 --bios none --kernel "$elf" --cpu rv64,v=on,vlen=192
check cpu_vlen_too_small 2 --bios none --kernel "$elf" --cpu rv64,v=on,vlen=64
check cpu_vlen_too_big 2 --bios none --kernel "$elf" --cpu rv64,v=on,vlen=2048
check cpu_vlen_not_number 2 --bios none --kernel "$elf" --cpu rv64,v=on,vlen=12x
check cpu_vlen_without_v 2 --bios none --kernel "$elf" --cpu rv64,vlen=256
check cpu_v_without_d 2 --bios none --kernel "$elf" --cpu rv64,v=on,d=off
check cpu_h_bad_value 2 --bios none --kernel "$elf" --cpu rv64,h=maybe
check cpu_h_no_value 2 --bios none --kernel "$elf" --cpu rv64,h
check cpu_trailing_comma 2 --bios none --kernel "$elf" --cpu rv64,h=on,
check cpu_h_without_s 2 --bios none --kernel "$elf" --cpu rv64,s=off,h=on
check cpu_empty 2 --bios none --kernel "$elf" --cpu ""
printf '{"boot-source": {"kernel_image_path": "%s"}, "machine-config": {"vcpu_count": 1, "mem_size_mib": 128, "cpu": "rv64,h=yes"}}' "$elf" >"$tmp/badcpu.json"
check fc_config_file_bad_cpu 2 --config-file "$tmp/badcpu.json" --no-api
check cpu_profile_prefix 2 --bios none --kernel "$elf" --cpu rva23x
check cpu_zfh_without_f 2 --bios none --kernel "$elf" --cpu rv64,d=off,f=off,zfh=on
check cpu_profile_zfa_without_f 2 --bios none --kernel "$elf" --cpu rva23,d=off,f=off
check cpu_svpbmt_bad_value 2 --bios none --kernel "$elf" --cpu rv64,svpbmt=2
check missing_bios 2 --bios "$tmp/nope.bin" --kernel "$tmp/empty.bin"
check initrd_too_big 2 --bios none --kernel "$elf" --initrd /dev/zero -m 16M
check stray_argument 2 --bios none --kernel "$elf" extra
check api_sock_too_long 2 --api-sock "$tmp/$(printf 'x%.0s' $(seq 1 120)).sock"
check api_sock_dir_missing 2 --api-sock "$tmp/no-such-dir/api.sock"
check api_sock_empty 2 --api-sock ""
# A file that is not a socket is never replaced by the API's socket.
echo keep > "$tmp/precious"
check api_sock_is_a_file 2 --api-sock "$tmp/precious"
if [ "$(cat "$tmp/precious")" = keep ]; then echo "PASS cli/api_sock_file_kept"; else echo "FAIL cli/api_sock_file_kept"; fi

# Firecracker's launch flags: bad values are refused as the API refuses
# the request they stand for.
check fc_bad_id 2 --api-sock "$tmp/id.sock" --id "bad id"
check fc_id_too_long 2 --api-sock "$tmp/id.sock" --id "$(printf 'a%.0s' $(seq 1 65))"
check fc_no_api_alone 2 --no-api
check fc_no_api_with_sock 2 --no-api --api-sock "$tmp/n.sock" --config-file /dev/null
check fc_bad_level 2 --api-sock "$tmp/l.sock" --level Loud
check fc_log_path_dir_missing 2 --api-sock "$tmp/l.sock" --log-path "$tmp/no-dir/log"
check fc_metrics_path_dir_missing 2 --api-sock "$tmp/l.sock" --metrics-path "$tmp/no-dir/m"
check fc_seccomp_filter_missing 2 --api-sock "$tmp/l.sock" --seccomp-filter "$tmp/nope.bpf"
# Firecracker's seccompiler-bin output (bincode: u64 LE counts and lengths,
# 8-byte sock_filters), broken in each way a file can be.
u64() { python3 -c 'import struct,sys; sys.stdout.buffer.write(struct.pack("<Q", int(sys.argv[1])))' "$1"; }
cat_allow() { u64 ${#1}; printf '%s' "$1"; u64 1; printf '\006\000\000\000\000\000\377\177'; }
{ u64 3; cat_allow vmm; cat_allow api; cat_allow vcpu; } > "$tmp/good.bpf"
head -c 50 "$tmp/good.bpf" > "$tmp/trunc.bpf"
check fc_seccomp_filter_truncated 2 --api-sock "$tmp/l.sock" --seccomp-filter "$tmp/trunc.bpf"
printf 'this is not a filter file at all' > "$tmp/garbage.bpf"
check fc_seccomp_filter_garbage 2 --api-sock "$tmp/l.sock" --seccomp-filter "$tmp/garbage.bpf"
check fc_seccomp_filter_empty_file 2 --api-sock "$tmp/l.sock" --seccomp-filter "$tmp/empty.bin"
{ u64 3; cat_allow vmm; cat_allow api; u64 4; printf vcpu; u64 0; } > "$tmp/emptyprog.bpf"
check fc_seccomp_filter_empty_program 2 --api-sock "$tmp/l.sock" --seccomp-filter "$tmp/emptyprog.bpf"
{ u64 3; cat_allow vmm; cat_allow api; cat_allow vcpux; } > "$tmp/unknown.bpf"
check fc_seccomp_filter_unknown_category 2 --api-sock "$tmp/l.sock" --seccomp-filter "$tmp/unknown.bpf"
{ u64 2; cat_allow vmm; cat_allow api; } > "$tmp/missing.bpf"
check fc_seccomp_filter_missing_category 2 --api-sock "$tmp/l.sock" --seccomp-filter "$tmp/missing.bpf"
check fc_seccomp_filter_with_no_seccomp 2 --api-sock "$tmp/l.sock" --seccomp-filter "$tmp/good.bpf" --no-seccomp
check fc_seccomp_filter_twice 2 --api-sock "$tmp/l.sock" --seccomp-filter "$tmp/good.bpf" --seccomp-filter "$tmp/good.bpf"
check fc_config_file_missing 2 --config-file "$tmp/nope.json" --no-api
printf '{"boot-source": ' > "$tmp/trunc.json"
check fc_config_file_truncated 2 --config-file "$tmp/trunc.json" --no-api
printf '[1]' > "$tmp/list.json"
check fc_config_file_not_object 2 --config-file "$tmp/list.json" --no-api
printf '{"balloon": {"amount_mib": 1, "deflate_on_oom": true}, "mmds-config": {"network_interfaces": []}}' > "$tmp/unsup.json"
check fc_config_file_unsupported_section 2 --config-file "$tmp/unsup.json" --no-api
printf '{"boot-source": {"kernel_image_path": "%s/nope"}}' "$tmp" > "$tmp/nokernel.json"
check fc_config_file_missing_kernel 2 --config-file "$tmp/nokernel.json" --no-api
printf '{"machine-config": {"vcpu_count": 2, "mem_size_mib": 128}}' > "$tmp/noboot.json"
check fc_config_file_no_boot_source 2 --config-file "$tmp/noboot.json" --no-api
printf '{"drives": [{"is_root_device": true}]}' > "$tmp/noid.json"
check fc_config_file_drive_without_id 2 --config-file "$tmp/noid.json" --no-api
check fc_config_file_with_kernel 2 --config-file "$tmp/noboot.json" --kernel "$tmp/empty.bin"
if "$RVMM" --version | head -n1 | grep -Eq '^rvmm v[0-9]+\.[0-9]+\.[0-9]+ '; then
    echo "PASS cli/fc_version_line"
else
    echo "FAIL cli/fc_version_line ($("$RVMM" --version | head -c 100))"
fi

# --drive: bad keys and values, a missing file, too many drives, a file
# whose mode says read-only opened writable. The images must not change.
img=$tmp/disk.img
head -c 1048576 /dev/urandom >"$img"
cp "$img" "$tmp/ro.img"
chmod 444 "$tmp/ro.img"
sums=$(cat "$img" "$tmp/ro.img" | sha256sum)
k="--bios none --kernel $tmp/empty.bin"
# shellcheck disable=SC2086 # $k is split on purpose
{
check drive_missing_file 2 $k --drive "file=$tmp/nope.img"
check drive_unknown_key 2 $k --drive "file=$img,cache=none"
check drive_bad_format 2 $k --drive "file=$img,format=vmdk"
check drive_bad_readonly 2 $k --drive "file=$img,readonly=yes"
check drive_not_key_value 2 $k --drive "file=$img,readonly"
check drive_no_file 2 $k --drive format=raw
check drive_bps_zero 2 $k --drive "file=$img,bps=0"
check drive_bps_not_number 2 $k --drive "file=$img,bps=fast"
check drive_iops_bad_suffix 2 $k --drive "file=$img,iops=10X"
check drive_bps_too_big 2 $k --drive "file=$img,bps=2048G"
# 13 drives: one more than VM_MAX_DRIVES (12).
check drive_too_many 2 $k $(for n in $(seq 13); do printf ' --drive file=%s' "$img"; done)
check drive_readonly_file_opened_writable 2 $k --drive "file=$tmp/ro.img"
check drive_raw_file_as_qcow2 2 $k --drive "file=$img,format=qcow2"
}
if [ "$(cat "$img" "$tmp/ro.img" | sha256sum)" = "$sums" ]; then
    echo "PASS cli/drive_images_unchanged"
else
    echo "FAIL cli/drive_images_unchanged"
fi

# --net: bad specs are refused before the guest starts.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
check net_unknown_backend 2 $k --net bogus
check net_unknown_key 2 $k --net user,foo=1
check net_port_out_of_range 2 $k --net user,hostfwd=tcp::70000-:22
check net_port_not_number 2 $k --net user,hostfwd=tcp::ssh-:22
check net_hostfwd_malformed 2 $k --net user,hostfwd=tcp:22
check net_hostfwd_bad_addr 2 $k --net user,hostfwd=tcp:1.2.3:$port-:22
check net_port_in_use 2 $k --net "user,hostfwd=tcp::$port-:22,hostfwd=tcp::$port-:23"
check net_bad_mac 2 $k --net user,mac=52:54:00:zz:34:56
check net_multicast_mac 2 $k --net user,mac=01:00:5e:00:00:01
check net_bps_zero 2 $k --net user,bps=0
check net_pps_negative 2 $k --net user,pps=-5
check net_too_many 2 $k --net user --net user --net user
check net_tap_no_ifname 2 $k --net tap
check net_tap_long_ifname 2 $k --net tap,ifname=abcdefghijklmnopqrstuvwxyz

# --balloon and --mem-merge: bad keys and values, an amount above RAM, a
# balloon with --restore (the snapshot has its own machine). The line must
# name what was wrong, so a kernel error cannot pass for it.
says() { # name, word, args...
    name=$1 word=$2
    shift 2
    check "$name" 2 "$@"
    grep -q -- "$word" "$tmp/err" || echo "FAIL cli/${name}_names_it ($(head -c 200 "$tmp/err"))"
}
says balloon_unknown_key balloon $k --balloon=size=64
says balloon_amount_not_number balloon $k --balloon amount=lots
says balloon_amount_negative balloon $k --balloon amount=-1
says balloon_amount_over_ram balloon $k -m 64M --balloon amount=65
says balloon_amount_huge balloon $k --balloon amount=99999999999999999999999
says balloon_bad_on_off balloon $k --balloon deflate_on_oom=yes
says balloon_bad_reporting balloon $k --balloon amount=8,free_page_reporting=1
says balloon_interval_too_long balloon $k --balloon stats_polling_interval_s=3601
says balloon_empty_value balloon $k --balloon=amount=
says balloon_with_restore balloon --restore "$tmp/none.state" --mem-file "$tmp/none.mem" --balloon amount=8
says mem_merge_bad mem-merge $k --mem-merge maybe
says mem_merge_missing mem-merge $k --mem-merge

# --gdb: bad specs are refused while parsing; a socket that cannot be made
# (no such directory or host, a port in use) before the guest starts.
check gdb_bad_kind 2 $k --gdb serial:/dev/ttyS0
check gdb_no_port 2 $k --gdb tcp:localhost
check gdb_port_out_of_range 2 $k --gdb tcp::70000
check gdb_port_not_number 2 $k --gdb tcp::gdb
check gdb_unix_empty 2 $k --gdb unix:
check gdb_unix_too_long 2 $k --gdb "unix:$tmp/$(printf 'x%.0s' $(seq 1 120)).sock"
check gdb_wait_without_gdb 2 $k --gdb-wait
if [ -n "$elf" ]; then
    g="--bios none --kernel $elf"
    check gdb_unix_dir_missing 2 $g --gdb "unix:$tmp/no-such-dir/gdb.sock"
    check gdb_bad_host 2 $g --gdb tcp:no.such.host.invalid:1234
    # A port another process listens on.
    python3 -c '
import socket, subprocess, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
sys.exit(subprocess.call(sys.argv[1:] + ["--gdb", "tcp::%d" % s.getsockname()[1]],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL))
' "$RVMM" $g 2>"$tmp/gdberr"
    st=$?
    if [ "$st" -eq 2 ] && [ "$(wc -l <"$tmp/gdberr")" -eq 1 ] &&
        grep -q '^rvmm: --gdb tcp::[0-9]*: cannot listen' "$tmp/gdberr"; then
        echo "PASS cli/gdb_port_in_use"
    else
        echo "FAIL cli/gdb_port_in_use (exit $st; stderr: $(head -c 200 "$tmp/gdberr"))"
    fi
else
    echo "FAIL cli/gdb_listen_errors (no ELF in ${BUILD:-build}/isa: make isa)"
fi

# --vsock: bad values, and a socket path rvmm cannot listen on (it exists,
# or its directory does not). An existing file is never replaced.
check vsock_no_value 2 --bios none --kernel "$tmp/empty.bin" --vsock ""
check vsock_cid_low 2 --bios none --kernel "$tmp/empty.bin" --vsock "cid=2,uds=$tmp/v.sock"
check vsock_cid_big 2 --bios none --kernel "$tmp/empty.bin" --vsock "cid=4294967295,uds=$tmp/v.sock"
check vsock_cid_text 2 --bios none --kernel "$tmp/empty.bin" --vsock "cid=three,uds=$tmp/v.sock"
check vsock_no_uds 2 --bios none --kernel "$tmp/empty.bin" --vsock cid=3
check vsock_unknown_key 2 --bios none --kernel "$tmp/empty.bin" --vsock "cid=3,uds=$tmp/v.sock,port=5"
check vsock_long_path 2 --bios none --kernel "$tmp/empty.bin" \
    --vsock "cid=3,uds=$tmp/$(printf 'x%.0s' $(seq 1 120))"
echo keep > "$tmp/exists"
check vsock_path_exists 2 --bios none --kernel "$tmp/empty.bin" --vsock "cid=3,uds=$tmp/exists"
if [ "$(cat "$tmp/exists")" = keep ]; then echo "PASS cli/vsock_path_kept"; else echo "FAIL cli/vsock_path_kept"; fi
check vsock_dir_missing 2 --bios none --kernel "$tmp/empty.bin" --vsock "cid=3,uds=$tmp/no/v.sock"
check vsock_with_restore 2 --restore "$tmp/empty.bin" --mem-file "$tmp/empty.bin" --vsock "cid=3,uds=$tmp/v.sock"
check net_mtu_low 2 --bios none --kernel "$tmp/empty.bin" --net user,mtu=67
check net_mtu_high 2 --bios none --kernel "$tmp/empty.bin" --net user,mtu=65536
check net_mtu_text 2 --bios none --kernel "$tmp/empty.bin" --net user,mtu=9k
# --engine kvm where it cannot run: this host's /dev/kvm is absent, or
# (x86-64 with KVM) cannot run RISC-V guests. One line naming which, exit 2,
# before any file is opened (the kernel named does not even exist).
check_msg() { # name, stderr pattern, args...
    name=$1 pat=$2
    shift 2
    "$RVMM" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "$pat" "$tmp/err"; then
        echo "PASS cli/$name"
    else
        echo "FAIL cli/$name (exit $got; stderr: $(head -c 200 "$tmp/err"))"
    fi
}
if [ -e /dev/kvm ]; then
    kvm_pat='^rvmm: --engine kvm: .*riscv64 host'
else
    kvm_pat='^rvmm: --engine kvm: cannot open /dev/kvm: No such file or directory'
fi
check_msg engine_kvm_unavailable "$kvm_pat" --engine kvm --kernel "$tmp/does-not-exist"
check_msg engine_kvm_with_opensbi '^rvmm: --engine kvm' --engine kvm --bios "$tmp/empty.bin" --kernel "$tmp/empty.bin"
# libslirp takes an MTU up to 65521: more is refused when parsed (a tap
# may take it), not when the VM starts.
check_msg net_mtu_user_over_slirp '^rvmm: --net user,mtu=65522: user-mode NAT takes an mtu of at most 65521' \
    --bios none --kernel "$tmp/does-not-exist" --net user,mtu=65522
