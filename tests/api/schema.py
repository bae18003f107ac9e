"""A small JSON-schema checker for the contract tests: the subset the
Firecracker definitions in tests/api/fc/schema.json use (type, required,
properties, items, enum, minimum, maximum, minLength, pattern, $ref to a
definition by name). Returns a list of problems, empty when the value fits."""
import json
import os
import re

DEFS = json.load(open(os.path.join(os.path.dirname(__file__), "fc", "schema.json")))

TYPES = {"object": dict, "array": list, "string": str, "boolean": bool}


def check(value, schema, where="$"):
    if isinstance(schema, str):
        schema = {"$ref": schema}
    if "$ref" in schema:
        return check(value, DEFS[schema["$ref"]], where)
    problems = []
    t = schema.get("type")
    if t == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            return ["%s: %r is not an integer" % (where, value)]
    elif t and not isinstance(value, TYPES[t]):
        return ["%s: %r is not %s" % (where, value, t)]
    if "enum" in schema and value not in schema["enum"]:
        problems.append("%s: %r not in %r" % (where, value, schema["enum"]))
    if "minimum" in schema and value < schema["minimum"]:
        problems.append("%s: %r < %r" % (where, value, schema["minimum"]))
    if "maximum" in schema and value > schema["maximum"]:
        problems.append("%s: %r > %r" % (where, value, schema["maximum"]))
    if "minLength" in schema and len(value) < schema["minLength"]:
        problems.append("%s: shorter than %d" % (where, schema["minLength"]))
    if "pattern" in schema and not re.search(schema["pattern"], value):
        problems.append("%s: %r does not match %s" % (where, value, schema["pattern"]))
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                problems.append("%s: required %r missing" % (where, name))
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                problems += check(value[name], sub, "%s.%s" % (where, name))
    if isinstance(value, list) and "items" in schema:
        for k, item in enumerate(value):
            problems += check(item, schema["items"], "%s[%d]" % (where, k))
    return problems


def self_test():
    """The checker must reject what it should, or the contract proves nothing."""
    bad = [
        ({"id": "x", "state": "Running", "vmm_version": "1"}, "InstanceInfo"),   # no app_name
        ({"app_name": "a", "id": "x", "state": "Sleeping", "vmm_version": "1"}, "InstanceInfo"),
        ({"vcpu_count": 33, "mem_size_mib": 128}, "MachineConfiguration"),
        ({"vcpu_count": True, "mem_size_mib": 128}, "MachineConfiguration"),
        ({"drives": [{"drive_id": "a", "is_root_device": True, "cache_type": "Bogus"}]},
         "FullVmConfiguration"),
        ({"firecracker_version": "v1"}, "FirecrackerVersion"),
        ({"fault_message": ""}, "Error"),
    ]
    good = [({"app_name": "a", "id": "x", "state": "Paused", "vmm_version": "1"}, "InstanceInfo"),
            ({"firecracker_version": "1.17.0"}, "FirecrackerVersion")]
    return all(check(v, s) for v, s in bad) and not any(check(v, s) for v, s in good)
