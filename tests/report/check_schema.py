#!/usr/bin/env python3
"""check_schema.py SCHEMA DOCUMENT...: validates JSON documents against the subset of JSON
Schema (2020-12) that docs/report.schema.json uses. A keyword outside that subset is an error,
so the check can never silently ignore part of the schema. Also checks that broken copies of
the first document are rejected, so a validator that accepts everything fails."""
import copy
import json
import re
import sys

KNOWN = {"$schema", "$id", "title", "description", "$defs", "type", "const", "enum", "required",
         "properties", "additionalProperties", "items", "minimum", "maximum", "pattern", "oneOf",
         "$ref"}
TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def type_ok(value, name):
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, TYPES[name])


def validate(root, schema, value, path, errors):
    unknown = set(schema) - KNOWN
    if unknown:
        errors.append(f"schema uses unsupported keywords {sorted(unknown)} at {path}")
    if "$ref" in schema:
        target = root
        for part in schema["$ref"].lstrip("#/").split("/"):
            target = target[part]
        validate(root, target, value, path, errors)
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(type_ok(value, n) for n in names):
            errors.append(f"{path}: {value!r:.60} is not {names}")
            return
    if "const" in schema and value != schema["const"]:
        errors.append(f"{path}: {value!r:.60} != {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r:.60} not in {schema['enum']}")
    if "minimum" in schema and isinstance(value, int) and value < schema["minimum"]:
        errors.append(f"{path}: {value} < {schema['minimum']}")
    if "maximum" in schema and isinstance(value, int) and value > schema["maximum"]:
        errors.append(f"{path}: {value} > {schema['maximum']}")
    if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
        errors.append(f"{path}: {value!r:.60} does not match {schema['pattern']}")
    if "oneOf" in schema:
        matches = sum(1 for s in schema["oneOf"] if not run(root, s, value, path))
        if matches != 1:
            errors.append(f"{path}: matches {matches} of oneOf, not 1")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                errors.append(f"{path}: missing {key}")
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in props:
                validate(root, props[key], item, f"{path}.{key}", errors)
            elif extra is False:
                errors.append(f"{path}: unexpected key {key}")
            elif isinstance(extra, dict):
                validate(root, extra, item, f"{path}.{key}", errors)
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            validate(root, schema["items"], item, f"{path}[{i}]", errors)


def run(root, schema, value, path="$"):
    errors = []
    validate(root, schema, value, path, errors)
    return errors


def main():
    schema = json.load(open(sys.argv[1]))
    failed = False
    for name in sys.argv[2:]:
        document = json.load(open(name))
        errors = run(schema, schema, document)
        for error in errors[:20]:
            print(f"{name}: {error}")
        failed |= bool(errors)
    first = json.load(open(sys.argv[2]))
    broken = []
    for mutate in (lambda d: d.pop("jobs"), lambda d: d.__setitem__("version", 1),
                   lambda d: d["jobs"][0].__setitem__("verdict", "maybe"),
                   lambda d: d["jobs"][0].__setitem__("flags", "target-missing"),
                   lambda d: d["jobs"][0].__setitem__("source_kind", "launchd"),
                   lambda d: d["jobs"][0].__setitem__("line", "7"),
                   lambda d: d["jobs"][0]["schedule"].__setitem__("extra", 1),
                   lambda d: d["hosts"][0].__setitem__("status", "fine"),
                   lambda d: d["scan"].__setitem__("finished_at", "yesterday")):
        copy_ = copy.deepcopy(first)
        mutate(copy_)
        broken.append(copy_)
    for i, document in enumerate(broken):
        if not run(schema, schema, document):
            print(f"the validator accepted broken document #{i}")
            failed = True
    print("schema check failed" if failed else f"{len(sys.argv) - 2} document(s) valid")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
