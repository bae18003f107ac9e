/* Strict JSON request bodies (see json_util.h). Parsing is json-c's; this
 * file only decides what a resource accepts. */
#include "api/json_util.h"

#include <errno.h>
#include <string.h>

/* json-c takes 'single-quoted' strings even in strict mode; JSON has
 * none. Returns the offset of a quote outside a string, or len. */
static size_t api_single_quote(const char *body, size_t len)
{
    bool in_string = false;
    for (size_t k = 0; k < len; k++) {
        if (in_string && body[k] == '\\')
            k++;
        else if (body[k] == '"')
            in_string = !in_string;
        else if (!in_string && body[k] == '\'')
            return k;
    }
    return len;
}

struct json_object *api_json_parse(const char *body, size_t len, struct api_reply *r)
{
    if (len == 0) {
        api_fault(r, "the request needs a JSON body");
        return NULL;
    }
    size_t quote = api_single_quote(body, len);
    if (quote < len) {
        api_fault(r, "the body is not valid JSON: a single quote at byte %zu", quote);
        return NULL;
    }
    struct json_tokener *tok = json_tokener_new();
    if (!tok) {
        api_fault(r, "out of memory");
        return NULL;
    }
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    struct json_object *obj = json_tokener_parse_ex(tok, body, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (jerr != json_tokener_success) {
        /* json_tokener_continue: the body ended inside a value. */
        api_fault(r, "the body is not valid JSON: %s at byte %zu",
                  jerr == json_tokener_continue ? "unexpected end of data"
                                                : json_tokener_error_desc(jerr),
                  end);
        json_object_put(obj);
        return NULL;
    }
    while (end < len && strchr(" \t\r\n", body[end]))
        end++;
    if (end < len) {
        api_fault(r, "the body is not valid JSON: trailing data at byte %zu", end);
        json_object_put(obj);
        return NULL;
    }
    if (!json_object_is_type(obj, json_type_object)) {
        api_fault(r, "the body must be a JSON object");
        json_object_put(obj);
        return NULL;
    }
    return obj;
}

static const char *type_name(enum json_type t)
{
    switch (t) {
    case json_type_boolean: return "a boolean";
    case json_type_int: return "an integer";
    case json_type_string: return "a string";
    case json_type_object: return "an object";
    case json_type_array: return "an array";
    default: return "a value";
    }
}

int api_json_check(struct json_object *obj, const struct api_field *fields, struct api_reply *r)
{
    json_object_object_foreach(obj, key, val)
    {
        const struct api_field *f = fields;
        while (f->name && strcmp(f->name, key) != 0)
            f++;
        if (!f->name) {
            char known[512] = "";
            for (f = fields; f->name; f++) {
                size_t n = strlen(known);
                snprintf(known + n, sizeof(known) - n, "%s`%s`", n ? ", " : "", f->name);
            }
            return api_fault(r, "unknown field `%.64s`, expected one of %s", key, known);
        }
        if (val && !json_object_is_type(val, f->type))
            return api_fault(r, "field `%s` must be %s", f->name, type_name(f->type));
    }
    for (const struct api_field *f = fields; f->name; f++)
        if (f->required && !json_object_object_get(obj, f->name))
            return api_fault(r, "missing field `%s`", f->name);
    return 0;
}

const char *api_json_str(struct json_object *obj, const char *name)
{
    struct json_object *v = json_object_object_get(obj, name);
    return v ? json_object_get_string(v) : NULL;
}

bool api_json_bool(struct json_object *obj, const char *name, bool dflt)
{
    struct json_object *v = json_object_object_get(obj, name);
    return v ? json_object_get_boolean(v) : dflt;
}

int64_t api_json_int(struct json_object *obj, const char *name, int64_t dflt)
{
    struct json_object *v = json_object_object_get(obj, name);
    return v ? json_object_get_int64(v) : dflt;
}

int api_json_copy(struct json_object *obj, const char *name, char *dst, size_t size,
                  struct api_reply *r)
{
    struct json_object *v = json_object_object_get(obj, name);
    if (!v) return 0;
    const char *s = json_object_get_string(v);
    size_t len = (size_t)json_object_get_string_len(v);
    if (strlen(s) != len) return api_fault(r, "field `%s` holds a NUL character", name);
    if (len >= size)
        return api_fault(r, "field `%s` is too long (at most %zu bytes)", name, size - 1);
    memcpy(dst, s, len + 1);
    return 0;
}

int api_json_enum(struct json_object *obj, const char *name, const char *const *values,
                  const char **out, struct api_reply *r)
{
    const char *v = api_json_str(obj, name);
    *out = NULL;
    if (!v) return 0;
    char list[256] = "";
    for (int k = 0; values[k]; k++) {
        if (strcmp(v, values[k]) == 0) {
            *out = values[k];
            return 0;
        }
        size_t n = strlen(list);
        snprintf(list + n, sizeof(list) - n, "%s`%s`", k ? ", " : "", values[k]);
    }
    return api_fault(r, "field `%s`: `%.32s` is not one of %s", name, v, list);
}
