/* The API's routing and strict JSON checks, without HTTP: requests go
 * straight to api_route() on a server with no VM. Each rejected request
 * must be a 400 with a fault_message and leave the configuration as it
 * was; paths and methods map to 404 and 405 with the resource's methods. */
#include "api/handlers.h"
#include "ut.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

UT_MAIN_STATE

static struct api_server *srv;

static unsigned req(const char *method, const char *url, const char *body, struct api_reply *r)
{
    memset(r, 0, sizeof(*r));
    api_route(srv, method, url, body, strlen(body), r);
    return r->status;
}

/* A 400 whose fault_message holds `text`. */
static void expect_fault(const char *method, const char *url, const char *body, const char *text)
{
    struct api_reply r;
    UT_EQ(req(method, url, body, &r), 400);
    struct json_object *msg = r.body ? json_object_object_get(r.body, "fault_message") : NULL;
    UT_CHECK(msg && strstr(json_object_get_string(msg), text));
    if (!msg || !strstr(json_object_get_string(msg), text))
        fprintf(stderr, "  for %s %s %s\n", method, url, body);
    json_object_put(r.body);
}

static void test_bad_bodies(void)
{
    const char *url = "/machine-config";
    expect_fault("PUT", url, "", "needs a JSON body");
    expect_fault("PUT", url, "{\"vcpu_count\": 1", "not valid JSON");
    expect_fault("PUT", url, "{} {}", "not valid JSON");
    expect_fault("PUT", url, "{}\n\n{}", "not valid JSON");
    expect_fault("PUT", url, "\"text\"", "must be a JSON object");
    expect_fault("PUT", url, "{'vcpu_count': 1}", "single quote");
    expect_fault("PUT", url, "{\"vcpu_count\": 1, \"mem_size_mib\": 64, \"a\\\"'\": 0}",
                 "unknown field");
    expect_fault("PUT", url, "{\"vcpu_count\": 1, \"mem_size_mib\": 64, \"x\": 0}",
                 "unknown field `x`");
    expect_fault("PUT", url, "{\"mem_size_mib\": 64}", "missing field `vcpu_count`");
    expect_fault("PUT", url, "{\"vcpu_count\": null, \"mem_size_mib\": 64}",
                 "missing field `vcpu_count`");
    expect_fault("PUT", url, "{\"vcpu_count\": true, \"mem_size_mib\": 64}", "an integer");
    expect_fault("PUT", url, "{\"vcpu_count\": 1, \"mem_size_mib\": 99999999999999999999}",
                 "mem_size_mib must be");
    expect_fault("PUT", url, "{\"vcpu_count\": -1, \"mem_size_mib\": 64}", "vcpu_count must be");
    expect_fault("PUT", url, "{\"vcpu_count\": 1, \"mem_size_mib\": 64, \"smt\": true}", "smt");
    struct api_reply r;
    UT_EQ(req("GET", url, "", &r), 200);
    UT_EQ(json_object_get_int64(json_object_object_get(r.body, "vcpu_count")), 1);
    UT_EQ(json_object_get_int64(json_object_object_get(r.body, "mem_size_mib")), 256);
    json_object_put(r.body);
}

static void test_routes(void)
{
    struct api_reply r;
    UT_EQ(req("GET", "/nothing", "", &r), 404);
    json_object_put(r.body);
    UT_EQ(req("GET", "/drives/", "", &r), 404); /* an {id} route needs an id */
    json_object_put(r.body);
    UT_EQ(req("PUT", "/drives/a/b", "{}", &r), 404);
    json_object_put(r.body);
    UT_EQ(req("DELETE", "/machine-config", "", &r), 405);
    UT_CHECK(strcmp(r.allow, "GET, PUT, PATCH") == 0);
    json_object_put(r.body);
    UT_EQ(req("GET", "/actions", "", &r), 405);
    UT_CHECK(strcmp(r.allow, "PUT") == 0);
    json_object_put(r.body);
    UT_EQ(req("PUT", "/machine-config", "{\"vcpu_count\": 4, \"mem_size_mib\": 64}", &r), 204);
    UT_CHECK(r.body == NULL);
    UT_EQ(srv->cfg.board.nharts, 4);
    UT_EQ(srv->cfg.board.ram_size, 64ULL << 20);
    /* PATCH changes what it names; a bad one changes nothing. */
    UT_EQ(req("PATCH", "/machine-config", "{\"mem_size_mib\": 128}", &r), 204);
    UT_EQ(srv->cfg.board.nharts, 4);
    UT_EQ(srv->cfg.board.ram_size, 128ULL << 20);
    expect_fault("PATCH", "/machine-config", "{\"vcpu_count\": 2, \"mem_size_mib\": 1}",
                 "mem_size_mib must be");
    UT_EQ(srv->cfg.board.nharts, 4);
    expect_fault("PATCH", "/machine-config", "{\"vcpus\": 2}", "unknown field");
    /* cpu (rvmm's own field): the --cpu model; a bad one changes nothing. */
    UT_EQ(req("PATCH", "/machine-config", "{\"cpu\": \"rv64,d=off\"}", &r), 204);
    UT_EQ(srv->cfg.board.cpu.ext & CPU_X(d), 0);
    UT_CHECK(srv->cfg.board.cpu.ext & CPU_X(f));
    expect_fault("PATCH", "/machine-config", "{\"cpu\": \"rv64,warp=on\"}", "unknown extension");
    expect_fault("PATCH", "/machine-config", "{\"cpu\": \"rv64,f=off,d=on\"}", "d needs f");
    expect_fault("PATCH", "/machine-config", "{\"cpu\": 64}", "cpu");
    UT_EQ(req("GET", "/machine-config", "", &r), 200);
    UT_CHECK(!strcmp(json_object_get_string(json_object_object_get(r.body, "cpu")), "rv64,d=off"));
    json_object_put(r.body);
    /* PUT sets the whole configuration: the default model again. */
    UT_EQ(req("PUT", "/machine-config", "{\"vcpu_count\": 4, \"mem_size_mib\": 64}", &r), 204);
    UT_EQ(req("GET", "/machine-config", "", &r), 200);
    UT_CHECK(!strcmp(json_object_get_string(json_object_object_get(r.body, "cpu")), "rv64"));
    json_object_put(r.body);
}

static void test_devices(void)
{
    char body[512];
    const char *path = "/dev/null";
    snprintf(body, sizeof(body),
             "{\"drive_id\": \"d1\", \"path_on_host\": \"%s\", \"is_root_device\": true}", path);
    expect_fault("PUT", "/drives/d2", body, "does not match");
    expect_fault("PUT", "/drives/d%201", body, "letters, digits");
    struct api_reply r;
    UT_EQ(req("PUT", "/drives/d1", body, &r), 204);
    snprintf(body, sizeof(body),
             "{\"drive_id\": \"d2\", \"path_on_host\": \"%s\", \"is_root_device\": true}", path);
    expect_fault("PUT", "/drives/d2", body, "root block device already exists");
    snprintf(body, sizeof(body),
             "{\"drive_id\": \"d1\", \"path_on_host\": \"%s\", \"is_root_device\": false, "
             "\"format\": \"vmdk\"}",
             path);
    expect_fault("PUT", "/drives/d1", body, "format");
    UT_EQ(srv->ndrives, 1);
    UT_CHECK(srv->drives[0].root); /* the rejected PUT changed nothing */
    expect_fault("PUT", "/network-interfaces/n0",
                 "{\"iface_id\": \"n0\", \"host_dev_name\": \"tap0,x=y\"}", "interface name");
    expect_fault("PUT", "/network-interfaces/n0",
                 "{\"iface_id\": \"n0\", \"host_dev_name\": \"tap0\", \"user_mode\": true}",
                 "either");
    UT_EQ(req("PUT", "/network-interfaces/n0",
              "{\"iface_id\": \"n0\", \"user_mode\": true, \"hostfwd\": [\"tcp::2222-:22\"]}", &r),
          204);
    UT_CHECK(strcmp(srv->nets[0].n.spec, "user,hostfwd=tcp::2222-:22") == 0);
    UT_EQ(req("PUT", "/network-interfaces/n0",
              "{\"iface_id\": \"n0\", \"host_dev_name\": \"tap0\", \"guest_mac\": "
              "\"06:00:ac:10:00:02\"}",
              &r),
          204);
    UT_EQ(srv->nnets, 1); /* the same id is replaced */
    UT_CHECK(strcmp(srv->nets[0].n.spec, "tap,ifname=tap0") == 0 && srv->nets[0].n.has_mac);
}

static void test_lifecycle_before_start(void)
{
    expect_fault("PATCH", "/vm", "{\"state\": \"Paused\"}", "not started");
    expect_fault("PATCH", "/vm", "{\"state\": \"Frozen\"}", "Paused");
    expect_fault("PUT", "/actions", "{\"action_type\": \"InstanceStart\"}", "without kernel");
    expect_fault("PUT", "/snapshot/create", "{\"snapshot_path\": \"a\", \"mem_file_path\": \"b\"}",
                 "never started");
    expect_fault("GET", "/stats", "", "not started");
    expect_fault("PUT", "/boot-source", "{\"kernel_image_path\": \"/nonexistent\"}",
                 "No such file");
    UT_CHECK(srv->cfg.board.kernel == NULL);
}

/* The balloon before the start: PUT configures it (checked whole), GET
 * shows it, the run-time requests are refused until there is a VM. */
static void test_balloon_before_start(void)
{
    struct api_reply r;
    expect_fault("GET", "/balloon", "", "No balloon");
    expect_fault("PUT", "/balloon", "{\"amount_mib\": 8}", "missing field `deflate_on_oom`");
    expect_fault("PUT", "/balloon", "{\"amount_mib\": 257, \"deflate_on_oom\": false}",
                 "amount_mib must be");
    expect_fault("PUT", "/balloon", "{\"amount_mib\": -1, \"deflate_on_oom\": false}",
                 "amount_mib must be");
    expect_fault("PUT", "/balloon",
                 "{\"amount_mib\": 8, \"deflate_on_oom\": false, "
                 "\"stats_polling_interval_s\": 3601}",
                 "stats_polling_interval_s");
    expect_fault("PUT", "/balloon", "{\"amount_mib\": 8, \"deflate_on_oom\": 1}", "a boolean");
    expect_fault("PUT", "/balloon", "{\"amount_mib\": 8, \"deflate_on_oom\": true, \"x\": 1}",
                 "unknown field `x`");
    UT_CHECK(!srv->cfg.board.balloon);
    UT_EQ(req("PUT", "/balloon",
              "{\"amount_mib\": 16, \"deflate_on_oom\": true, "
              "\"stats_polling_interval_s\": 2, \"free_page_reporting\": true}",
              &r),
          204);
    UT_CHECK(srv->cfg.board.balloon);
    UT_EQ(srv->cfg.board.balloon_cfg.target_pages, 16 * 256);
    UT_EQ(req("GET", "/balloon", "", &r), 200);
    UT_EQ(json_object_get_int(json_object_object_get(r.body, "amount_mib")), 16);
    UT_CHECK(json_object_get_boolean(json_object_object_get(r.body, "free_page_reporting")));
    UT_EQ(json_object_get_int(json_object_object_get(r.body, "stats_polling_interval_s")), 2);
    json_object_put(r.body);
    UT_EQ(req("GET", "/vm/config", "", &r), 200);
    struct json_object *b = json_object_object_get(r.body, "balloon");
    UT_CHECK(b && json_object_get_boolean(json_object_object_get(b, "deflate_on_oom")));
    json_object_put(r.body);
    expect_fault("PATCH", "/balloon", "{\"amount_mib\": 4}", "before starting");
    expect_fault("GET", "/balloon/statistics", "", "before starting");
    expect_fault("PATCH", "/balloon/statistics", "{\"stats_polling_interval_s\": 4}",
                 "before starting");
    UT_EQ(req("DELETE", "/balloon", "", &r), 405);
    UT_CHECK(strstr(r.allow, "PATCH") && strstr(r.allow, "PUT") && strstr(r.allow, "GET"));
    json_object_put(r.body);
}

int main(void)
{
    char dir[] = "/tmp/rvmm-api-XXXXXX", sock[64];
    if (!mkdtemp(dir)) return 1;
    snprintf(sock, sizeof(sock), "%s/s", dir);
    struct vm_config defaults = {
        .board = {.ram_size = 256ULL << 20, .nharts = 1, .sbi_builtin = true, .append = "x"}};
    char err[256];
    if (api_server_create(&srv, sock, &defaults, NULL, "test", err, sizeof(err))) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    ut_run("api_bad_bodies", test_bad_bodies);
    ut_run("api_routes", test_routes);
    ut_run("api_devices", test_devices);
    ut_run("api_lifecycle_before_start", test_lifecycle_before_start);
    ut_run("api_balloon_before_start", test_balloon_before_start);
    api_server_destroy(srv);
    UT_CHECK(access(sock, F_OK) != 0);
    rmdir(dir);
    return ut_exit();
}
