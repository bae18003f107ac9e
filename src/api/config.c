/* Pre-boot configuration: PUT/GET /machine-config, PUT /boot-source and
 * GET /vm/config, and the vm_config InstanceStart builds from them. A
 * request is checked whole before anything changes, so a rejected one
 * leaves the configuration as it was. */
#include "api/json_util.h"
#include "common/safe_open.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define API_MEM_MIN_MIB 16
#define API_MEM_MAX_MIB (256u << 10) /* 256 GiB, as -m */

bool api_preboot(struct api_server *s, struct api_reply *r)
{
    if (s->incoming) {
        api_fault(r, "The microVM comes from an incoming migration: it cannot be configured.");
        return false;
    }
    if (!api_vm(s)) return true;
    api_fault(r, "The requested operation is not supported after starting the microVM.");
    return false;
}

struct json_object *api_machine_config_json(const struct api_server *s)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "vcpu_count", json_object_new_int64(s->cfg.board.nharts));
    json_object_object_add(o, "mem_size_mib", json_object_new_int64(s->cfg.board.ram_size >> 20));
    json_object_object_add(o, "smt", json_object_new_boolean(false));
    json_object_object_add(o, "track_dirty_pages", json_object_new_boolean(s->cfg.track_dirty));
    json_object_object_add(o, "huge_pages",
                           json_object_new_string(s->cfg.board.hugetlb ? "2M"
                                                  : s->cfg.board.thp   ? "Transparent"
                                                                       : "None"));
    /* rvmm's own field: the CPU model, as --cpu spells it. */
    char cpu[512];
    struct cpu_model m = s->cfg.board.cpu;
    if (!m.ext) cpu_model_default(&m);
    cpu_model_format(&m, cpu, sizeof(cpu));
    json_object_object_add(o, "cpu", json_object_new_string(cpu));
    return o;
}

void api_get_machine_config(struct api_server *s, const char *id, struct json_object *body,
                            struct api_reply *r)
{
    api_reply_json(r, api_machine_config_json(s));
}

/* PUT replaces the machine configuration (the two sizes required, the rest
 * back to defaults); PATCH changes only the fields it gives. */
static void api_machine_config(struct api_server *s, struct json_object *body, bool partial,
                               struct api_reply *r)
{
    const struct api_field fields[] = {
        {"vcpu_count", json_type_int, !partial},   {"mem_size_mib", json_type_int, !partial},
        {"smt", json_type_boolean, false},         {"track_dirty_pages", json_type_boolean, false},
        {"cpu_template", json_type_string, false}, {"huge_pages", json_type_string, false},
        {"cpu", json_type_string, false},          {NULL, 0, false}};
    if (!api_preboot(s, r) || api_json_check(body, fields, r)) return;
    int64_t vcpus = api_json_int(body, "vcpu_count", s->cfg.board.nharts);
    int64_t mib = api_json_int(body, "mem_size_mib", (int64_t)(s->cfg.board.ram_size >> 20));
    const char *tmpl = api_json_str(body, "cpu_template");
    const char *huge = api_json_str(body, "huge_pages");
    const char *cpu = api_json_str(body, "cpu");
    struct cpu_model model = partial ? s->cfg.board.cpu : (struct cpu_model){0};
    char msg[1024];
    if (cpu && cpu_model_parse(&model, cpu, msg, sizeof(msg))) {
        api_fault(r, "%s", msg);
        return;
    }
    if (vcpus < 1 || vcpus > BOARD_MAX_HARTS) {
        api_fault(r, "vcpu_count must be from 1 to %d", BOARD_MAX_HARTS);
        return;
    }
    if (mib < API_MEM_MIN_MIB || mib > API_MEM_MAX_MIB) {
        api_fault(r, "mem_size_mib must be from %d to %u", API_MEM_MIN_MIB, API_MEM_MAX_MIB);
        return;
    }
    if (api_json_bool(body, "smt", false)) {
        api_fault(r, "smt is not supported on RISC-V");
        return;
    }
    static const char *const templates[] = {"C3", "T2", "T2S", "T2CL", "T2A", "V1N1", NULL};
    if (tmpl && strcmp(tmpl, "None") != 0) {
        bool known = false;
        for (int k = 0; templates[k]; k++)
            known |= strcmp(tmpl, templates[k]) == 0;
        api_fault(r,
                  known ? "cpu_template `%.16s` describes an x86 or Arm CPU; RISC-V has only `None`"
                        : "cpu_template `%.16s` is not one of C3, T2, T2S, T2CL, T2A, V1N1, None",
                  tmpl);
        return;
    }
    if (huge && strcmp(huge, "None") != 0 && strcmp(huge, "Transparent") != 0 &&
        strcmp(huge, "2M") != 0) {
        api_fault(r, "huge_pages `%.16s` is not one of None, Transparent, 2M", huge);
        return;
    }
    bool huge2m = huge ? strcmp(huge, "2M") == 0 : partial && s->cfg.board.hugetlb;
    if (huge2m && mib % 2) {
        api_fault(r, "mem_size_mib must be a multiple of 2 with huge_pages `2M`");
        return;
    }
    /* Diff snapshots need it; PUT resets it, PATCH keeps it unless given. */
    bool track = api_json_bool(body, "track_dirty_pages", partial ? s->cfg.track_dirty : false);
    s->cfg.board.nharts = (unsigned)vcpus;
    s->cfg.board.ram_size = (uint64_t)mib << 20;
    if (huge || !partial) s->cfg.board.thp = huge && strcmp(huge, "Transparent") == 0;
    s->cfg.board.hugetlb = huge2m;
    s->cfg.board.cpu = model;
    s->cfg.track_dirty = track;
    s->configured = true;
}

void api_put_machine_config(struct api_server *s, const char *id, struct json_object *body,
                            struct api_reply *r)
{
    api_machine_config(s, body, false, r);
}

void api_patch_machine_config(struct api_server *s, const char *id, struct json_object *body,
                              struct api_reply *r)
{
    api_machine_config(s, body, true, r);
}

/* The file must be a readable regular file now: a typo, a directory or a
 * FIFO is reported by this request (which never blocks on it), not by
 * InstanceStart. */
static int api_check_file(const char *field, const char *path, struct api_reply *r)
{
    char why[PATH_MAX + 100];
    int fd = safe_open(path, O_RDONLY, SAFE_REG, 0, NULL, NULL, why, sizeof(why));
    if (fd < 0) return api_fault(r, "%s %.512s", field, why);
    close(fd);
    return 0;
}

void api_put_boot_source(struct api_server *s, const char *id, struct json_object *body,
                         struct api_reply *r)
{
    static const struct api_field fields[] = {{"kernel_image_path", json_type_string, true},
                                              {"initrd_path", json_type_string, false},
                                              {"boot_args", json_type_string, false},
                                              {NULL, 0, false}};
    char kernel[PATH_MAX] = "", initrd[PATH_MAX] = "", args[API_ARGS_MAX];
    snprintf(args, sizeof(args), "%s", s->default_args);
    if (!api_preboot(s, r) || api_json_check(body, fields, r) ||
        api_json_copy(body, "kernel_image_path", kernel, sizeof(kernel), r) ||
        api_json_copy(body, "initrd_path", initrd, sizeof(initrd), r) ||
        api_json_copy(body, "boot_args", args, sizeof(args), r) ||
        api_check_file("kernel_image_path", kernel, r) ||
        (initrd[0] && api_check_file("initrd_path", initrd, r)))
        return;
    memcpy(s->kernel, kernel, sizeof(kernel));
    memcpy(s->initrd, initrd, sizeof(initrd));
    memcpy(s->boot_args, args, sizeof(args));
    s->cfg.board.kernel = s->kernel;
    s->cfg.board.initrd = initrd[0] ? s->initrd : NULL;
    s->cfg.board.append = s->boot_args;
    s->configured = true;
}

void api_get_vm_config(struct api_server *s, const char *id, struct json_object *body,
                       struct api_reply *r)
{
    struct json_object *o = json_object_new_object();
    /* A restored VM has no boot source (Firecracker leaves it out too). */
    if (s->cfg.board.kernel) {
        struct json_object *boot = json_object_new_object();
        json_object_object_add(boot, "kernel_image_path",
                               json_object_new_string(s->cfg.board.kernel));
        if (s->cfg.board.initrd)
            json_object_object_add(boot, "initrd_path",
                                   json_object_new_string(s->cfg.board.initrd));
        if (s->cfg.board.append)
            json_object_object_add(boot, "boot_args", json_object_new_string(s->cfg.board.append));
        json_object_object_add(o, "boot-source", boot);
    }
    json_object_object_add(o, "machine-config", api_machine_config_json(s));
    json_object_object_add(o, "drives", api_drives_json(s));
    json_object_object_add(o, "network-interfaces", api_nets_json(s));
    if (s->cfg.board.rng) json_object_object_add(o, "entropy", json_object_new_object());
    if (s->log_path[0]) {
        struct json_object *l = json_object_new_object();
        json_object_object_add(l, "log_path", json_object_new_string(s->log_path));
        json_object_object_add(o, "logger", l);
    }
    if (s->metrics_path[0]) {
        struct json_object *m = json_object_new_object();
        json_object_object_add(m, "metrics_path", json_object_new_string(s->metrics_path));
        json_object_object_add(o, "metrics", m);
    }
    if (s->cfg.board.balloon) json_object_object_add(o, "balloon", api_balloon_json(s));
    if (s->cfg.vsock.on) json_object_object_add(o, "vsock", api_vsock_json(&s->cfg));
    api_reply_json(r, o);
}

int api_build_config(struct api_server *s, struct vm_config *out, struct api_reply *r)
{
    char *append = s->start_args;
    size_t len = sizeof(s->start_args);
    if (!s->cfg.board.kernel && !s->cfg.board.bios)
        return api_fault(r, "Cannot start microvm without kernel configuration.");
    if (s->cfg.board.balloon &&
        s->cfg.board.balloon_cfg.target_pages > s->cfg.board.ram_size / RAM_PAGE_SIZE)
        return api_fault(r, "The balloon's amount_mib is more than mem_size_mib.");
    /* A balloon gives back 4 KiB pages; hugetlb memory is freed 2 MiB at a
     * time (Firecracker refuses the pair too). */
    if (s->cfg.board.balloon && s->cfg.board.hugetlb)
        return api_fault(r, "a balloon cannot return memory backed by huge_pages `2M`");
    *out = s->cfg;
    snprintf(append, len, "%s", s->cfg.board.append ? s->cfg.board.append : "");
    out->board.append = append;
    out->ndrives = 0;
    /* The root drive goes first, so the guest names it vda. */
    for (int pass = 0; pass < 2; pass++)
        for (unsigned k = 0; k < s->ndrives; k++) {
            const struct api_drive *d = &s->drives[k];
            if (d->root != (pass == 0)) continue;
            out->drives[out->ndrives++] = d->d;
            if (!d->root) continue;
            size_t n = strlen(append);
            if (d->partuuid[0])
                snprintf(append + n, len - n, " root=PARTUUID=%s %s", d->partuuid,
                         d->d.readonly ? "ro" : "rw");
            else
                snprintf(append + n, len - n, " root=/dev/vda %s", d->d.readonly ? "ro" : "rw");
        }
    out->nnets = s->nnets;
    for (unsigned k = 0; k < s->nnets; k++)
        out->nets[k] = s->nets[k].n;
    return 0;
}

void api_adopt_config(struct api_server *s, struct vm *vm)
{
    /* The one place the API reads a built VM's configuration. */
    const struct vm_config *c = vm_get_config(vm);
    s->cfg.board.nharts = c->board.nharts;
    s->cfg.board.ram_size = c->board.ram_size;
    s->cfg.board.rng = c->board.rng;
    s->cfg.vsock = c->vsock;
    s->cfg.board.thp = false;
    s->cfg.board.hugetlb = false;
    s->cfg.board.cpu = c->board.cpu;
    s->cfg.board.kernel = s->cfg.board.initrd = NULL;
    s->ndrives = c->ndrives;
    for (unsigned k = 0; k < c->ndrives; k++)
        s->drives[k] = (struct api_drive){.d = c->drives[k]};
    s->nnets = c->nnets;
    for (unsigned k = 0; k < c->nnets; k++) {
        struct api_net *n = &s->nets[k];
        *n = (struct api_net){.n = c->nets[k], .mtu = c->nets[k].mtu};
        if (strncmp(n->n.spec, "tap,ifname=", 11) == 0)
            snprintf(n->host_dev_name, sizeof(n->host_dev_name), "%.15s", n->n.spec + 11);
        else
            n->user_mode = true;
    }
}
