/* Checking a request body against a resource's fields, as Firecracker's
 * strict deserialization does: every key known, the required ones present,
 * each of its type. A failure fills the reply with a 400 fault message. */
#ifndef RVMM_API_JSON_UTIL_H
#define RVMM_API_JSON_UTIL_H

#include "api/handlers.h"

struct api_field {
    const char *name;
    enum json_type type; /* a null value counts as absent */
    bool required;
};

/* Parses a body that must be one JSON object; NULL and a 400 otherwise. */
struct json_object *api_json_parse(const char *body, size_t len, struct api_reply *r);
/* Checks obj against fields (terminated by a NULL name); 0 or -EINVAL. */
int api_json_check(struct json_object *obj, const struct api_field *fields, struct api_reply *r);

/* Field accessors for a checked object: the value, or dflt when absent. */
const char *api_json_str(struct json_object *obj, const char *name);
bool api_json_bool(struct json_object *obj, const char *name, bool dflt);
int64_t api_json_int(struct json_object *obj, const char *name, int64_t dflt);
/* Copies a string field into dst (left alone when absent): -EINVAL and a
 * 400 if it does not fit or holds a NUL. */
int api_json_copy(struct json_object *obj, const char *name, char *dst, size_t size,
                  struct api_reply *r);

/* A string field that must be one of values (NULL-terminated): *out
 * points at the table's entry (NULL when absent); a 400 naming the field
 * and the values otherwise. */
int api_json_enum(struct json_object *obj, const char *name, const char *const *values,
                  const char **out, struct api_reply *r);

#endif
