/* The control API: Firecracker-style REST with JSON on a unix socket
 * (libmicrohttpd for HTTP/1.1, json-c for JSON). A front end like the CLI:
 * it configures a VM, builds it on InstanceStart or a snapshot load, and
 * drives its lifecycle through vmm/vm.h only. Requests are served on the
 * server's own thread; the caller's thread runs the VM (vm_run), so a
 * request never waits on a vCPU and a vCPU never waits on a request. */
#ifndef RVMM_API_API_H
#define RVMM_API_API_H

#include "vmm/vm.h"

struct api_server;

/* Binds the socket and starts serving. `defaults` (the command line) is
 * what GET /machine-config shows before any PUT; its strings are copied.
 * `vm`, if not NULL, is a VM the caller built and is about to vm_run() (a
 * kernel on the command line): the API serves it from the first request.
 * A stale socket left by a dead process is replaced; a live one or any
 * other file at `path` is an error. On failure err holds one line. */
int api_server_create(struct api_server **out, const char *path, const struct vm_config *defaults,
                      struct vm *vm, const char *version, char *err, size_t errlen);
/* Waits until a request built the VM (InstanceStart, snapshot load, an
 * incoming migration) and returns it for the caller to vm_run() and
 * destroy; NULL if none will come (api_server_failure() says why: the
 * caller exits with status 2). */
struct vm *api_server_wait_vm(struct api_server *s);
const char *api_server_failure(struct api_server *s);
/* Stops serving and removes the socket. Call after vm_run() returned and
 * before the VM is destroyed: no request can reach it afterwards. */
void api_server_destroy(struct api_server *s);

#endif
