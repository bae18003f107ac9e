#!/bin/sh
# Prints the CPU engines the rvmm binary $1 offers ("interp", or
# "interp jit" once it has the JIT), from its --help text, so the test
# layers run every engine that is built in.
if "$1" --help 2>&1 | grep -q -- '--engine.*jit'; then
    echo "interp jit"
else
    echo "interp"
fi
