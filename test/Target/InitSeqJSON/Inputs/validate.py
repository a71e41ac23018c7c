"""Validates init-sequence JSON documents against a JSON schema (draft-07).

usage: validate.py SCHEMA DOC... [--invalid]

Prints "valid: DOC" or "invalid: DOC: <first error>" per document and exits
non-zero when any document is not as expected (valid, or with --invalid,
invalid).
"""
import json
import sys

import jsonschema


def main(argv):
    expect_invalid = "--invalid" in argv
    args = [a for a in argv if a != "--invalid"]
    with open(args[0]) as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    ok = True
    for path in args[1:]:
        with open(path) as f:
            doc = json.load(f)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        if errors:
            where = "/".join(str(p) for p in errors[0].path)
            print(f"invalid: {path}: at /{where}: {errors[0].message[:200]}")
        else:
            print(f"valid: {path}")
        ok &= bool(errors) == expect_invalid
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
