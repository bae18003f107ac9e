/* `rvmm api SOCKET METHOD PATH [BODY]`: one request to an rvmm's control
 * API on its unix socket, for places without curl (a guest's busybox, where
 * the nested rvmm runs). Prints the response body; exit status 0 for a 2xx
 * answer, 1 for another HTTP status, 2 for bad arguments or no connection. */
#ifndef RVMM_CLI_CLI_APICALL_H
#define RVMM_CLI_CLI_APICALL_H

/* argv[1] is "api". */
int cli_api_call(int argc, char **argv);

#endif
