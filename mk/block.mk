# Block backend tests beyond the unit tests: tests/block/blkcheck drives
# rvmm's backends from the shell scripts in tests/block (interop with
# qemu-io/qemu-img, bad images, kill -9 crash consistency).

BLKCHECK := $(BUILD)/blkcheck

$(BLKCHECK): tests/block/blkcheck.c $(BUILD)/librvmm-asan.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -O1 -o $@ $< $(BUILD)/librvmm-asan.a $(LDLIBS)
