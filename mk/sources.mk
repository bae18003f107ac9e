# Which sources make up the rvmm library and binary, and how two variants of
# them are built: the normal optimized build and the ASan+UBSan build the tests use.

LIB_SRCS := $(filter-out $(LIB_EXCLUDE),$(wildcard src/common/*.c src/cpu/*.c src/cpu/jit/*.c src/machine/*.c \
                       src/machine/virtio/*.c src/vmm/*.c src/mem/*.c src/backend/*/*.c src/cpu/kvm/*.c))
# The front ends (command line, control API) link into rvmm directly, not
# through the library: the API's file names may repeat the VMM's.
CLI_SRCS := $(wildcard src/cli/*.c src/api/*.c)
# HTTP/1.1 and JSON for the control API (libmicrohttpd-dev, libjson-c-dev).
API_LDLIBS := -lmicrohttpd -ljson-c

OBJ      := $(BUILD)/obj
ASAN     := $(BUILD)/asan
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

LIB_OBJS      := $(LIB_SRCS:%.c=$(OBJ)/%.o)
CLI_OBJS      := $(CLI_SRCS:%.c=$(OBJ)/%.o)
LIB_ASAN_OBJS := $(LIB_SRCS:%.c=$(ASAN)/%.o)
CLI_ASAN_OBJS := $(CLI_SRCS:%.c=$(ASAN)/%.o)

$(OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(ASAN)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) -O1 -c $< -o $@

$(BUILD)/librvmm.a: $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/librvmm-asan.a: $(LIB_ASAN_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/rvmm: $(CLI_OBJS) $(BUILD)/librvmm.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(API_LDLIBS)

$(BUILD)/rvmm-asan: $(CLI_ASAN_OBJS) $(BUILD)/librvmm-asan.a
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $^ $(LDLIBS) $(API_LDLIBS)

.PHONY: asan clean format check-format
asan: $(BUILD)/rvmm-asan

clean:
	rm -rf $(BUILD)

# tests/isa/*.h and tests/jit/*.h are assembler macro headers, not C:
# clang-format would break them.
FORMAT_SRCS = $(filter-out tests/isa/%.h tests/jit/%.h,$(shell git ls-files '*.c' '*.h' 2>/dev/null))
format:
	clang-format -i $(FORMAT_SRCS)
check-format:
	clang-format --dry-run -Werror $(FORMAT_SRCS)
