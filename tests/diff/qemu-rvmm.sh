#!/bin/sh
# Stand-in for build/rvmm that runs QEMU instead: accepts the rvmm CLI subset the
# differential runner uses (--bios none --kernel ELF -m SIZE) and nothing else.
# Used to check the harness itself: RVMM=tests/diff/qemu-rvmm.sh DIFF_NOCACHE=1
# must pass every program (the dumps are deterministic).
kernel= mem=128M
while [ $# -gt 0 ]; do
	case "$1" in
	--bios) [ "$2" = none ] || { echo "qemu-rvmm: only --bios none" >&2; exit 2; }; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	-m) mem=$2; shift 2 ;;
	*) echo "qemu-rvmm: unsupported argument $1" >&2; exit 2 ;;
	esac
done
exec "${QEMU:-qemu-system-riscv64}" -M virt \
	-cpu "${DIFF_QEMU_CPU:-rv64,zba=false,zbb=false,zbc=false,zbs=false}" -m "$mem" -nographic -bios none -kernel "$kernel" </dev/null
