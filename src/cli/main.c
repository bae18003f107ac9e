/* The rvmm command line: parses QEMU-style options into a vm_config, runs
 * the VM and maps the outcome to an exit status (0 poweroff/pass, the
 * guest's code on fail, 2 bad usage or input, 1 internal error). The only
 * place that calls exit(). */
#include "api/api.h"
#include "cli/cli_apicall.h"
#include "cli/cli_engine.h"
#include "cli/cli_jail.h"
#include "cli/cli_memory.h"
#include "cli/cli_parse.h"
#include "cli/cli_snapshot.h"
#include "cli/opt_vsock.h"
#include "cli/cli_ratelimit.h"
#include "cli/signals.h"
#include "backend/block/blockdev.h"
#include "common/version.h"
#include "cpu/jit/jit.h"
#include "vmm/gdbstub.h"
#include "vmm/migration.h"
#include "vmm/seccomp.h"
#include "cli/opt_seccomp.h"
#include "vmm/vm.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_APPEND "console=ttyS0"
/* The virtio-console is hvc1 in a kernel built with HVC_RISCV_SBI (ours,
 * Debian's): that driver registers the SBI console as hvc0 first. */
#define DEFAULT_APPEND_HVC "console=hvc1"
#define MAX_RAM            (256ULL << 30)

enum { EXIT_USAGE = 2, EXIT_INTERNAL = 1 };
/* getopt values of long options without a short letter. */
enum {
    OPT_BALLOON = 0x100,
    OPT_MEM_MERGE,
    OPT_SECCOMP,
    OPT_NO_SECCOMP,
    OPT_SNAPSHOT_MERGE,
    OPT_VSOCK
};

#define STR_(x) #x
#define STR(x)  STR_(x)

static void usage(FILE *f)
{
    fprintf(f,
            "usage: rvmm [options]\n"
            "Runs a RISC-V 64-bit virtual machine (QEMU virt layout).\n"
            "With no options it boots the default guest built by 'make guest'.\n\n"
            "  --bios FILE|builtin|none\n"
            "                     M-mode firmware, e.g. Debian's OpenSBI fw_dynamic.bin;\n"
            "                     'builtin' (the default) starts the kernel in S-mode with\n"
            "                     SBI served by rvmm, as KVM does;\n"
            "                     'none' starts the kernel or ELF in M-mode at its entry\n"
            "  --kernel FILE      kernel: ELF, Linux Image or raw binary\n"
            "  --initrd FILE      initial ramdisk\n"
            "  --append STR       kernel command line (default \"" DEFAULT_APPEND "\", or\n"
            "                     \"" DEFAULT_APPEND_HVC "\" with --console virtio)\n"
            "  -m SIZE            guest RAM, e.g. 256M or 1G (default 256M; no suffix = MiB)\n"
            "  --smp N            number of harts, 1 to %d (default 1)\n"
            "  --engine jit|interp|kvm\n"
            "                     CPU engine: the x86-64 JIT (the default on x86-64 hosts),\n"
            "                     the portable interpreter, or KVM on riscv64 hosts (the\n"
            "                     default where /dev/kvm opens; needs the built-in SBI)\n"
            "  --cpu rv64|rva22|rva23[,EXT=on|off]...\n"
            "                     CPU model: the ISA extensions the harts offer, as QEMU's\n"
            "                     -cpu (e.g. rv64,d=off, rva23,zcb=off); misa and the device\n"
            "                     tree follow it\n"
            "  --console uart|virtio\n"
            "                     what stdin/stdout are connected to: the NS16550 UART\n"
            "                     (default) or a virtio-console (the guest's hvc console)\n"
            "  --drive file=PATH[,format=raw|qcow2][,readonly=on|off][,backing-dir=DIR]\n"
            "                     a virtio-blk disk (/dev/vda, vdb, ... in order; up to %d);\n"
            "                     format is detected when not given; ',,' is a comma in PATH;\n"
            "                     qcow2 backing files must be under PATH's directory or DIR\n"
            "                     [,bps=N][,iops=N]: at most N bytes / requests a second\n"
            "  --rng              virtio-rng entropy device\n"
            "  --net user[,hostfwd=[tcp|udp]:[HADDR]:HPORT-[GADDR]:GPORT]...[,mac=M]\n"
            "                     virtio-net NIC behind user-mode NAT (slirp): guest 10.0.2.15\n"
            "                     by DHCP, gateway/host 10.0.2.2, DNS 10.0.2.3; hostfwd\n"
            "                     forwards a host port to the guest (repeatable)\n"
            "  --net tap,ifname=NAME[,mac=M]\n"
            "                     virtio-net NIC on an existing host tap device\n"
            "                     (up to %d --net; default MAC 52:54:00:12:34:56, :57, ...)\n"
            "                     [,bps=N][,pps=N]: at most N bytes / frames a second each way\n"
            "  --balloon [amount=MIB][,deflate_on_oom=on][,free_page_reporting=on]\n"
            "          [,stats_polling_interval_s=S]\n"
            "                     virtio-balloon: the guest gives MIB back to the host;\n"
            "                     free page reporting returns what it frees by itself\n"
            "  --vsock cid=N,uds=PATH\n"
            "                     virtio-vsock, Firecracker's host side: connect to PATH and\n"
            "                     write \"CONNECT <port>\\n\"; guest connections to host port\n"
            "                     P go to a listener at PATH_P\n"
            "  --mem-merge on|off guest RAM mergeable for the host's KSM (default off)\n"
            "  --seccomp on|off   confine every thread to its system-call allow-list once the\n"
            "                     VM is set up (default on; --no-seccomp is off)\n"
            "  --stats            print exit, trap, interrupt, device and engine statistics\n"
            "  --perf-map         name each translated block in /tmp/perf-PID.map for perf\n"
            "  --api-sock PATH    serve the Firecracker-style control API on a unix socket;\n"
            "                     without --kernel, wait for it to configure and start the VM\n"
            "  --restore STATE --mem-file MEM\n"
            "                     run the VM saved in a snapshot (state and memory files)\n"
            "                     instead of booting; RAM maps MEM copy-on-write\n"
            "                     with --restore, --drive gives the snapshot's disks new\n"
            "                     images, in order (each clone needs its own, e.g. a qcow2\n"
            "                     overlay)\n"
            "Firecracker's launch flags (README.md, \"Firecracker's launch flags\"):\n"
            "  --id ID            instance id (GET /, log lines)\n"
            "  --config-file FILE configure from Firecracker's JSON sections and boot\n"
            "  --no-api           with --config-file: serve no API socket\n"
            "  --log-path P, --level L, --show-level, --show-log-origin\n"
            "                     log lines to a file or FIFO (as PUT /logger)\n"
            "  --metrics-path P   JSON metrics lines to a file or FIFO (as PUT /metrics)\n"
            "  --no-seccomp       as --seccomp off\n"
            "  --seccomp-filter FILE\n"
            "                     seccompiler-bin's filters instead of rvmm's lists: \"api\"\n"
            "                     on the main/API threads, \"vmm\" on the I/O loop, \"vcpu\"\n"
            "                     on each vCPU (README.md: format, checks)\n"
            "  --boot-timer       log the guest's boot time when it writes 123 to 0x102000\n"
            "  --gdb tcp:[HOST]:PORT|unix:PATH\n"
            "                     serve a GDB remote stub (gdb-multiarch: target remote);\n"
            "                     an empty HOST is 127.0.0.1; one debugger at a time\n"
            "  -s                 shorthand for --gdb tcp::1234\n"
            "  --gdb-wait, -S     freeze the VM before its first instruction until gdb\n"
            "                     continues it\n"
            "  --incoming unix:PATH|tcp:HOST:PORT\n"
            "                     wait for a live migration from another rvmm (its API's\n"
            "                     PUT /migration/send) and run the VM it sends; --drive and\n"
            "                     --net replace the VM's disks and NICs in order; the\n"
            "                     stream is not encrypted (use SSH or a trusted network)\n"
            "  --snapshot-merge base=BASE.mem,diff=DIFF.mem\n"
            "                     write a Diff snapshot's memory file over its base's\n"
            "                     (in place), so the Diff snapshot restores; nothing runs\n"
            "  --help             this text\n"
            "  --version          version, in Firecracker's numbering\n"
            "Console: Ctrl-A x quits.\n",
            BOARD_MAX_HARTS, VM_MAX_DRIVES, VM_MAX_NETS);
}

struct gdb_opts {
    const char *spec; /* --gdb, or NULL */
    bool wait;        /* --gdb-wait */
};

/* --gdb: the stub listens before the VM runs; with --gdb-wait the VM is
 * frozen until gdb continues it. 0 or the exit status for the error. */
static int start_gdb(struct vm *vm, const struct gdb_opts *o, struct gdbstub **out)
{
    *out = NULL;
    if (!o->spec) return 0;
    if (o->wait && vm_state(vm) != VM_STATE_PAUSED) vm_pause(vm); /* CREATED: at once */
    char err[512];
    int rc = gdbstub_create(out, vm, o->spec, err, sizeof(err));
    if (rc) {
        fprintf(stderr, "rvmm: %s\n", err);
        return rc == -ENOMEM ? EXIT_INTERNAL : EXIT_USAGE;
    }
    return 0;
}

/* rvmm --restore: the snapshot brings the machine; the command line may
 * only give drive images (overrides) and statistics. */
static int restore_main(const char *state, const char *mem, const struct vm_config *over,
                        const struct gdb_opts *go, struct cli_signals *sigs,
                        const struct cli_confine *sc)
{
    if (!mem) return cli_usage_error("%s", "--restore needs --mem-file MEM");
    struct vm *vm;
    char err[1024];
    int rc = vm_restore(&vm, over, state, mem, err, sizeof(err));
    if (rc) {
        fprintf(stderr, "rvmm: %s\n", err);
        return rc == -ENOMEM ? EXIT_INTERNAL : EXIT_USAGE;
    }
    struct gdbstub *gdb;
    rc = start_gdb(vm, go, &gdb);
    if (rc) {
        vm_destroy(vm);
        return rc;
    }
    if ((rc = cli_confine(sc, vm))) {
        gdbstub_destroy(gdb, 1);
        vm_destroy(vm);
        return rc;
    }
    if (!go->wait) vm_resume(vm);
    cli_signals_watch(sigs, vm, NULL);
    int status = vm_run(vm);
    gdbstub_destroy(gdb, status < 0 ? 1 : status);
    status = cli_signals_status(sigs, status < 0 ? EXIT_INTERNAL : status);
    if (over->stats) vm_print_stats(vm, stderr);
    vm_destroy(vm);
    return status;
}

/* rvmm --incoming: the source brings the machine; the command line may
 * only give drive images and NIC backends (overrides), the engine and
 * statistics. Any failure is one line and status 2: nothing ran. */
static int incoming_main(const char *url, const struct vm_config *over, struct cli_signals *sigs,
                         const struct cli_confine *sc)
{
    struct mig_incoming *in;
    struct vm *vm;
    char err[1024];
    int rc = mig_incoming_listen(&in, url, over, err, sizeof(err));
    if (rc) {
        fprintf(stderr, "rvmm: --incoming: %s\n", err);
        return EXIT_USAGE;
    }
    fprintf(stderr, "rvmm: waiting for a migration on %s\n", url);
    mig_incoming_progress(in, isatty(STDERR_FILENO));
    rc = mig_incoming_run(in, &vm, err, sizeof(err));
    bool was_paused = !rc && mig_incoming_source_paused(in);
    mig_incoming_free(in);
    if (rc) {
        fprintf(stderr, "rvmm: incoming migration failed: %s\n", err);
        return EXIT_USAGE;
    }
    fprintf(stderr, "rvmm: migration received, the VM runs here now%s\n",
            was_paused ? " (it was paused on the source; --incoming has no "
                         "API to resume it later, PUT /migration/receive "
                         "keeps it paused)"
                       : "");
    if ((rc = cli_confine(sc, vm))) {
        vm_destroy(vm);
        return rc;
    }
    vm_resume(vm);
    cli_signals_watch(sigs, vm, NULL);
    int status = vm_run(vm);
    status = cli_signals_status(sigs, status < 0 ? EXIT_INTERNAL : status);
    if (over->stats) vm_print_stats(vm, stderr);
    vm_destroy(vm);
    return status;
}

static const char *cache_dir(char *buf, size_t len)
{
    const char *c = getenv("RVMM_CACHE");
    if (c && *c) return c;
    const char *x = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    if (x && *x)
        snprintf(buf, len, "%s/rvmm", x);
    else
        snprintf(buf, len, "%s/.cache/rvmm", home ? home : ".");
    return buf;
}

/* Runs the VM on this thread until the guest powers off, then ends the
 * API (if any) before the VM goes away; returns the exit status. */
static int run_vm(struct vm *vm, struct api_server *api, struct gdbstub *gdb,
                  struct cli_signals *sigs, const struct cli_confine *sc)
{
    int status = cli_confine(sc, vm);
    if (status) {
        gdbstub_destroy(gdb, 1);
        api_server_destroy(api);
        vm_destroy(vm);
        return status;
    }
    if (vm) { /* NULL: a stop signal came before the API made one */
        cli_signals_watch(sigs, vm, NULL);
        status = vm_run(vm);
    }
    gdbstub_destroy(gdb, status < 0 ? 1 : status);
    /* No signal touches the VM or the API once they start going away. */
    status = cli_signals_status(sigs, status < 0 ? EXIT_INTERNAL : status);
    api_server_destroy(api);
    if (vm && vm_get_config(vm)->stats) vm_print_stats(vm, stderr);
    vm_destroy(vm);
    return status;
}

/* --api-sock: a VM from the command line boots at once, served by the
 * API meanwhile; otherwise the API (or --config-file) configures and
 * starts it. With path NULL there is no socket: the API's side only
 * carries the Firecracker launch flags (log, metrics, config file). */
static int run_with_api(const struct vm_config *cfg, const char *path, bool boot_now,
                        const struct gdb_opts *go, const struct api_launch *launch,
                        struct cli_signals *sigs, const struct cli_confine *sc)
{
    struct vm *vm = NULL;
    char err[512];
    if (go->spec && !boot_now)
        return cli_usage_error("%s", "--gdb with --api-sock needs --kernel or --bios");
    int rc = boot_now ? vm_create(&vm, cfg, err, sizeof(err)) : 0;
    if (rc) {
        fprintf(stderr, "rvmm: %s\n", err);
        return rc == -ENOMEM ? EXIT_INTERNAL : EXIT_USAGE;
    }
    struct gdbstub *gdb = NULL;
    if (vm && (rc = start_gdb(vm, go, &gdb))) {
        vm_destroy(vm);
        return rc;
    }
    /* The API thread is confined from its first request: what it builds
     * later (InstanceStart, restore, snapshots) is in the main list. */
    if ((rc = cli_confine(sc, vm))) {
        gdbstub_destroy(gdb, 1);
        vm_destroy(vm);
        return rc;
    }
    struct api_server *api;
    rc = api_server_create(&api, path, cfg, vm, RVMM_VERSION, err, sizeof(err));
    if (rc) {
        gdbstub_destroy(gdb, 0);
        vm_destroy(vm);
        fprintf(stderr, "rvmm: --api-sock: %s\n", err);
        return rc == -ENOMEM ? EXIT_INTERNAL : EXIT_USAGE;
    }
    rc = api_server_launch(api, launch, err, sizeof(err));
    if (rc) {
        api_server_destroy(api);
        gdbstub_destroy(gdb, 0);
        vm_destroy(vm);
        fprintf(stderr, "rvmm: %s\n", err);
        return rc == -ENOMEM ? EXIT_INTERNAL : EXIT_USAGE;
    }
    if (!vm) {
        cli_signals_watch(sigs, NULL, api);
        vm = api_server_wait_vm(api);
    }
    if (!vm) { /* a stop signal, or the API's start failed */
        int status = cli_signals_status(sigs, EXIT_USAGE);
        if (status == EXIT_USAGE) fprintf(stderr, "rvmm: %s\n", api_server_failure(api));
        api_server_destroy(api);
        return status;
    }
    return run_vm(vm, api, gdb, sigs, sc); /* confined above: this hands vm its programs */
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "api")) return cli_api_call(argc, argv);
    static const struct option opts[] = {
        {"bios", required_argument, NULL, 'b'},
        {"kernel", required_argument, NULL, 'k'},
        {"initrd", required_argument, NULL, 'i'},
        {"append", required_argument, NULL, 'a'},
        {"m", required_argument, NULL, 'm'},
        {"smp", required_argument, NULL, 's'},
        {"engine", required_argument, NULL, 'e'},
        {"cpu", required_argument, NULL, 'C'},
        {"stats", no_argument, NULL, 'S'},
        {"perf-map", no_argument, NULL, 'P'},
        {"rng", no_argument, NULL, 'R'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"restore", required_argument, NULL, 'r'},
        {"mem-file", required_argument, NULL, 'M'},
        {"drive", required_argument, NULL, 'd'},
        {"net", required_argument, NULL, 'n'},
        {"console", required_argument, NULL, 'c'},
        {"api-sock", required_argument, NULL, 'A'},
        /* Firecracker's launch flags. */
        {"id", required_argument, NULL, 1000},
        {"config-file", required_argument, NULL, 1001},
        {"no-api", no_argument, NULL, 1002},
        {"log-path", required_argument, NULL, 1003},
        {"level", required_argument, NULL, 1004},
        {"show-level", no_argument, NULL, 1005},
        {"show-log-origin", no_argument, NULL, 1006},
        {"metrics-path", required_argument, NULL, 1007},
        {"seccomp-filter", required_argument, NULL, 1009},
        {"boot-timer", no_argument, NULL, 1010},
        {"gdb", required_argument, NULL, 'g'},
        {"gdb-wait", no_argument, NULL, 'W'},
        {"s", no_argument, NULL, 'G'},
        {"S", no_argument, NULL, 'W'},
        {"incoming", required_argument, NULL, 'I'},
        {"balloon", optional_argument, NULL, OPT_BALLOON},
        {"mem-merge", required_argument, NULL, OPT_MEM_MERGE},
        {"seccomp", required_argument, NULL, OPT_SECCOMP},
        {"no-seccomp", no_argument, NULL, OPT_NO_SECCOMP},
        {"snapshot-merge", required_argument, NULL, OPT_SNAPSHOT_MERGE},
        {"vsock", required_argument, NULL, OPT_VSOCK},
        CLI_JAIL_LONG_OPTIONS,
        {NULL, 0, NULL, 0}};
    struct vm_config cfg = {.board = {.ram_size = 256ULL << 20,
                                      .nharts = 1,
                                      .sbi_builtin = true,
                                      .append = NULL,
                                      .engine = (int)hart_default_engine()}};
    bool bios_set = false, machine_set = false, ram_given = false, smp_given = false;
    const char *restore = NULL, *mem_file = NULL;
    const char *api_sock = NULL, *incoming = NULL;
    struct api_launch launch = {0};
    bool no_api = false, fc_flags = false;
    struct gdb_opts go = {0};
    struct cli_confine sc = {.on = seccomp_default_on()};
    bool sc_off = false;
    struct cli_jail jail = CLI_JAIL_INIT;
    opterr = 0;
    int c;
    while ((c = getopt_long_only(argc, argv, "m:", opts, NULL)) != -1) {
        switch (c) {
        case 'b':
            bios_set = true;
            cfg.board.sbi_builtin = strcmp(optarg, "builtin") == 0;
            cfg.board.bios = (cfg.board.sbi_builtin || strcmp(optarg, "none") == 0) ? NULL : optarg;
            break;
        case 'k': cfg.board.kernel = optarg; break;
        case 'i': cfg.board.initrd = optarg; break;
        case 'a': cfg.board.append = optarg; break;
        case 'm': {
            uint64_t v;
            int rc = cli_parse_size(optarg, &v);
            if (rc == -ERANGE || (!rc && v > MAX_RAM))
                return cli_usage_error("-m %s: too large (at most 256G)", optarg);
            if (rc) return cli_usage_error("-m %s: not a size (examples: 256M, 1G)", optarg);
            if (v < (16ULL << 20))
                return cli_usage_error("-m %s: too small (at least 16M)", optarg);
            cfg.board.ram_size = (v + 4095) & ~4095ULL;
            ram_given = true;
            break;
        }
        case 's': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > BOARD_MAX_HARTS)
                return cli_usage_error("--smp %s: must be a number from 1 to 32", optarg);
            cfg.board.nharts = (unsigned)n;
            smp_given = true;
            break;
        }
        case 'e': {
            char msg[512];
            if (cli_parse_engine(optarg, &cfg.board.engine, msg, sizeof(msg)))
                return cli_usage_error("%s", msg);
            break;
        }
        case 'C': {
            char msg[1024];
            if (cpu_model_parse(&cfg.board.cpu, optarg, msg, sizeof(msg)))
                return cli_usage_error("%s", msg);
            break;
        }
        case 'd': {
            char msg[512];
            if (cfg.ndrives == VM_MAX_DRIVES)
                return cli_usage_error(
                    "--drive %.200s: too many drives (at most " STR(VM_MAX_DRIVES) ")", optarg);
            struct vm_drive *d = &cfg.drives[cfg.ndrives];
            if (cli_parse_drive(optarg, d, msg, sizeof(msg))) return cli_usage_error("%s", msg);
            if (!d->id[0]) snprintf(d->id, sizeof(d->id), "drive%u", cfg.ndrives);
            for (unsigned j = 0; j < cfg.ndrives; j++)
                if (!strcmp(cfg.drives[j].id, d->id))
                    return cli_usage_error("--drive %s: another drive has this id", optarg);
            cfg.ndrives++;
            break;
        }
        case 'S': cfg.stats = cfg.board.jit.counting = true; break;
        case 'P':
            if (jit_perf_map_open(&cfg.board.jit.perf_map))
                return cli_usage_error("%s", "--perf-map: cannot write /tmp/perf-PID.map");
            break;
        case 'r': restore = optarg; break;
        case 'M': mem_file = optarg; break;
        case 'R': cfg.board.rng = true; break;
        case 'A': api_sock = optarg; break;
        case OPT_SNAPSHOT_MERGE: return cli_snapshot_merge(optarg);
        case OPT_BALLOON: {
            char msg[512];
            const char *arg = optarg;
            if (!arg && optind < argc && cli_balloon_arg(argv[optind])) arg = argv[optind++];
            if (cli_parse_balloon(arg, &cfg.board, msg, sizeof(msg)))
                return cli_usage_error("%s", msg);
            break;
        }
        case OPT_MEM_MERGE: {
            char msg[256];
            if (cli_parse_mem_merge(optarg, &cfg.mem_merge, msg, sizeof(msg)))
                return cli_usage_error("%s", msg);
            break;
        }
        case 'g':
        case 'G': {
            go.spec = c == 'G' ? "tcp::1234" : optarg;
            char msg[512];
            if (gdbstub_check_spec(go.spec, msg, sizeof(msg))) return cli_usage_error("%s", msg);
            break;
        }
        case 'W': go.wait = true; break;
        case 'I': {
            char msg[256];
            if (mig_url_check(optarg, msg, sizeof(msg)))
                return cli_usage_error("--incoming %s", msg);
            incoming = optarg;
            break;
        }
        case 'c':
            if (strcmp(optarg, "uart") == 0)
                cfg.console = VM_CONSOLE_UART;
            else if (strcmp(optarg, "virtio") == 0)
                cfg.console = VM_CONSOLE_VIRTIO;
            else
                return cli_usage_error("--console %s: must be uart or virtio", optarg);
            break;
        case 'n':
            if (cli_parse_net(optarg, &cfg)) return EXIT_USAGE;
            break;
        case 1000: launch.id = optarg; break;
        case 1001: launch.config_file = optarg; break;
        case 1002: no_api = true; break;
        case 1003: launch.log_path = optarg; break;
        case 1004: launch.level = optarg; break;
        case 1005: launch.show_level = true; break;
        case 1006: launch.show_log_origin = true; break;
        case 1007: launch.metrics_path = optarg; break;
        case 1009: {
            char msg[512];
            if (sc.filters) return cli_usage_error("%s", "--seccomp-filter given twice");
            if (cli_seccomp_filter(&sc, optarg, msg, sizeof(msg)))
                return cli_usage_error("%s", msg);
            break;
        }
        case 1010: launch.boot_timer = cfg.board.boot_timer = true; break;
        case OPT_SECCOMP:
            if (strcmp(optarg, "on") && strcmp(optarg, "off"))
                return cli_usage_error("--seccomp %s: must be on or off", optarg);
            sc.on = strcmp(optarg, "on") == 0;
            sc_off |= !sc.on;
            break;
        case OPT_NO_SECCOMP: sc.on = false, sc_off = true; break;
        case CLI_JAIL_OPT_FIRST ... CLI_JAIL_OPT_LAST: {
            char msg[256];
            if (cli_jail_option(&jail, c, optarg, msg, sizeof(msg)))
                return cli_usage_error("%s", msg);
            break;
        }
        case OPT_VSOCK: {
            char msg[512];
            if (cli_parse_vsock(optarg, &cfg.vsock, msg, sizeof(msg)))
                return cli_usage_error("%s", msg);
            break;
        }
        case 'h': usage(stdout); return 0;
        /* The first line is Firecracker's "NAME vX.Y.Z", which its clients
         * parse (README.md, "Firecracker's launch flags"). */
        case 'V':
            printf("rvmm v%s (Firecracker API numbering; rvmm release %s)\n", RVMM_FC_VERSION,
                   RVMM_VERSION);
            return 0;
        case ':':
        case '?':
        default:
            if (optopt && optopt != '?')
                return cli_usage_error("option %s needs an argument", argv[optind - 1]);
            return cli_usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc) return cli_usage_error("unexpected argument '%s'", argv[optind]);
    if (go.wait && !go.spec) return cli_usage_error("%s", "--gdb-wait needs --gdb (or -s)");
    if (sc.filters && sc_off)
        return cli_usage_error(
            "%s", "--seccomp-filter and --no-seccomp (--seccomp off) exclude each other");
    sc.on |= sc.filters != NULL;
    machine_set = bios_set || cfg.board.kernel || cfg.board.initrd || cfg.board.rng ||
                  cfg.board.append || cfg.board.balloon || cfg.vsock.on;
    if (restore && machine_set)
        return cli_usage_error("%s", "--restore takes the machine from the snapshot: drop --bios, "
                                     "--kernel, --initrd, --append, --rng, --balloon and --vsock");
    if (incoming && (machine_set || restore || api_sock))
        return cli_usage_error("%s", "--incoming takes the machine from the migration source: drop "
                                     "--bios, --kernel, --initrd, --append, --rng, --balloon, "
                                     "--restore and --api-sock (the API's form is PUT "
                                     "/migration/receive)");
    char bmsg[256];
    if (cli_balloon_check(&cfg.board, bmsg, sizeof(bmsg))) return cli_usage_error("%s", bmsg);
    if (!restore && !incoming && cli_engine_check(&cfg.board, bmsg, sizeof(bmsg)))
        return cli_usage_error("%s", bmsg);
    if (cli_jail_check(&jail, bmsg, sizeof(bmsg))) return cli_usage_error("%s", bmsg);
    if (jail.dir) { /* before any thread: only the VM's process comes back */
        int status;
        const char *more[] = {restore, mem_file, NULL};
        int rc = cli_jail_enter(&jail, &cfg, api_sock, more[0] ? more : more + 2, &status);
        if (rc) return rc < 0 ? EXIT_USAGE : status;
    }
    /* Before any thread exists, so every thread has them blocked. */
    cli_signals_block();
    struct cli_signals sigs;
    if (cli_signals_start(&sigs)) {
        fprintf(stderr, "rvmm: cannot start the signal thread\n");
        return EXIT_INTERNAL;
    }
    if (incoming) {
        struct vm_config over = cfg;
        over.board.ram_size = ram_given ? cfg.board.ram_size : 0;
        over.board.nharts = smp_given ? cfg.board.nharts : 0;
        return incoming_main(incoming, &over, &sigs, &sc);
    }
    fc_flags = launch.id || launch.log_path || launch.level || launch.show_level ||
               launch.show_log_origin || launch.metrics_path || launch.boot_timer;
    if (no_api && (!launch.config_file || api_sock))
        return cli_usage_error("%s", "--no-api goes with --config-file and without --api-sock");
    if (launch.config_file && (restore || incoming || machine_set || cfg.ndrives || cfg.nnets))
        return cli_usage_error("%s",
                               "--config-file brings the machine: drop --restore, --incoming, "
                               "--bios, --kernel, --initrd, --append, --rng, --balloon, "
                               "--drive and --net");
    if (restore) {
        /* What was given is checked against the snapshot; --drive options
         * replace its drives in order (drive0, drive1, ...). */
        struct vm_config over = cfg;
        over.board.ram_size = ram_given ? cfg.board.ram_size : 0;
        over.board.nharts = smp_given ? cfg.board.nharts : 0;
        return restore_main(restore, mem_file, &over, &go, &sigs, &sc);
    }
    if (mem_file) return cli_usage_error("%s", "--mem-file goes with --restore");
    if (!cfg.board.append)
        cfg.board.append = cfg.console == VM_CONSOLE_VIRTIO ? DEFAULT_APPEND_HVC : DEFAULT_APPEND;

    if (api_sock || launch.config_file) {
        bool boot_now = !launch.config_file && (cfg.board.kernel || cfg.board.bios);
        /* Configured through the API, RAM defaults to Firecracker's 128 MiB. */
        if (!boot_now && !ram_given) cfg.board.ram_size = 128ULL << 20;
        return run_with_api(&cfg, api_sock, boot_now, &go, &launch, &sigs, &sc);
    }

    char dir[PATH_MAX], kpath[PATH_MAX + 32], ipath[PATH_MAX + 32];
    if (!cfg.board.kernel && !bios_set) {
        const char *cache = cache_dir(dir, sizeof(dir));
        snprintf(kpath, sizeof(kpath), "%s/guest/Image", cache);
        snprintf(ipath, sizeof(ipath), "%s/guest/initramfs.cpio.gz", cache);
        if (access(kpath, R_OK) || access(ipath, R_OK)) {
            fprintf(stderr, "rvmm: the default guest is not built (%s): run 'make guest'\n", kpath);
            return EXIT_USAGE;
        }
        cfg.board.kernel = kpath;
        if (!cfg.board.initrd) cfg.board.initrd = ipath;
    }
    if (!cfg.board.kernel && !cfg.board.bios)
        return cli_usage_error("%s", "nothing to run: give --kernel or --bios");

    if (fc_flags) return run_with_api(&cfg, NULL, true, &go, &launch, &sigs, &sc);

    struct vm *vm;
    char err[512];
    int rc = vm_create(&vm, &cfg, err, sizeof(err));
    if (rc) {
        fprintf(stderr, "rvmm: %s\n", err);
        return rc == -ENOMEM ? EXIT_INTERNAL : EXIT_USAGE;
    }
    struct gdbstub *gdb;
    rc = start_gdb(vm, &go, &gdb);
    if (rc) {
        vm_destroy(vm);
        return rc;
    }
    return run_vm(vm, NULL, gdb, &sigs, &sc);
}
