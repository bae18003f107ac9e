#!/bin/sh
# Every tracked C file is clang-formatted (the list is mk/sources.mk's).
# Prints one PASS or FAIL line for tests/run.sh.
out=${BUILD:-build}/format.log
if make -s check-format >"$out" 2>&1; then
    echo "PASS format/clang-format"
    exit 0
fi
echo "FAIL format/clang-format: $(grep -c 'clang-format-violations' "$out") places; run 'make format'"
grep 'clang-format-violations' "$out" | head -n 5 | sed 's/^/    /'
exit 1
