# The gdb-multiarch session tests/gdb/gdb_test.py runs against rvmm (both
# engines) and QEMU (the oracle). @@NAME lines split the output into
# sections compared between the two; PORT is filled in by the test.
set pagination off
set confirm off
set tcp auto-retry on
set tcp connect-timeout 30
target remote :PORT
echo @@break\n
break work
continue
info registers pc
echo @@stepi-branch\n
stepi
info registers pc
echo @@stepi-load\n
stepi
stepi
stepi
info registers a2 pc
echo @@stepi-trap\n
break trap_handler
stepi
info registers pc mcause mepc priv
delete 2
echo @@set-reg\n
set $a1 = 42
info registers a1
p $mhartid
echo @@fcsr\n
p/x $fcsr
echo @@memory\n
x/4gx &table
monitor xp /2gx 0x80001008
echo @@watch\n
watch *(long *)&counter
continue
continue
delete
info registers pc
echo @@threads\n
info threads
thread 2
info registers pc mhartid
thread 1
echo @@detach\n
detach
echo @@end\n
