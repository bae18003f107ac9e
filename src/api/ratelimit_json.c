/* Firecracker's RateLimiter objects in request bodies and GET /vm/config:
 * {"bandwidth": TokenBucket, "ops": TokenBucket}, each TokenBucket
 * {"size", "one_time_burst", "refill_time" (ms)} with size and refill_time
 * required, checked as strictly as Firecracker's deserializer (unknown
 * keys, wrong types and negative numbers are 400s). null is "no limit". */
#include "api/json_util.h"
#include "common/ratelimit.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Puts "what: " before the fault message a nested check wrote, so the
 * client learns which field of which object was wrong. */
static int api_fault_prefix(struct api_reply *r, const char *what)
{
    struct json_object *m = r->body ? json_object_object_get(r->body, "fault_message") : NULL;
    char msg[900];
    snprintf(msg, sizeof(msg), "%s", m ? json_object_get_string(m) : "bad value");
    return api_fault(r, "%s: %s", what, msg);
}

static int api_token_bucket(struct json_object *o, const char *field, const char *name,
                            struct ratelimit_bucket_config *b, struct api_reply *r)
{
    static const struct api_field fields[] = {{"size", json_type_int, true},
                                              {"one_time_burst", json_type_int, false},
                                              {"refill_time", json_type_int, true},
                                              {NULL, 0, false}};
    *b = (struct ratelimit_bucket_config){0};
    if (!o || json_object_get_type(o) == json_type_null) return 0;
    if (!json_object_is_type(o, json_type_object))
        return api_fault(r, "%s.%s must be a TokenBucket object", field, name);
    char what[96];
    snprintf(what, sizeof(what), "%s.%s", field, name);
    if (api_json_check(o, fields, r)) return api_fault_prefix(r, what);
    int64_t size = api_json_int(o, "size", 0), burst = api_json_int(o, "one_time_burst", 0);
    int64_t refill = api_json_int(o, "refill_time", 0);
    if (size < 0 || burst < 0 || refill < 0)
        return api_fault(r, "%s.%s: size, one_time_burst and refill_time must not be negative",
                         field, name);
    *b = (struct ratelimit_bucket_config){.size = (uint64_t)size,
                                          .one_time_burst = (uint64_t)burst,
                                          .refill_time_ms = (uint64_t)refill};
    return 0;
}

int api_rate_limiter(struct json_object *body, const char *field, struct ratelimit_config *out,
                     bool *given, struct api_reply *r)
{
    static const struct api_field fields[] = {
        {"bandwidth", json_type_object, false}, {"ops", json_type_object, false}, {NULL, 0, false}};
    struct json_object *v = NULL;
    /* json-c stores a null value as NULL: _ex tells it from a missing key. */
    bool present = json_object_object_get_ex(body, field, &v);
    *out = (struct ratelimit_config){0};
    if (given) *given = present;
    if (!v || json_object_get_type(v) == json_type_null) return 0;
    if (api_json_check(v, fields, r)) return api_fault_prefix(r, field);
    if (api_token_bucket(json_object_object_get(v, "bandwidth"), field, "bandwidth",
                         &out->bandwidth, r) ||
        api_token_bucket(json_object_object_get(v, "ops"), field, "ops", &out->ops, r))
        return -EINVAL;
    const char *why;
    if (ratelimit_config_check(out, &why)) return api_fault(r, "%s: %s", field, why);
    return 0;
}

static struct json_object *api_bucket_json(const struct ratelimit_bucket_config *b)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "size", json_object_new_int64((int64_t)b->size));
    if (b->one_time_burst)
        json_object_object_add(o, "one_time_burst",
                               json_object_new_int64((int64_t)b->one_time_burst));
    json_object_object_add(o, "refill_time", json_object_new_int64((int64_t)b->refill_time_ms));
    return o;
}

void api_rate_limiter_json(struct json_object *o, const char *field,
                           const struct ratelimit_config *c)
{
    if (ratelimit_config_none(c)) return;
    struct json_object *rl = json_object_new_object();
    if (c->bandwidth.size) json_object_object_add(rl, "bandwidth", api_bucket_json(&c->bandwidth));
    if (c->ops.size) json_object_object_add(rl, "ops", api_bucket_json(&c->ops));
    json_object_object_add(o, field, rl);
}
