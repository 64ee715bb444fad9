"""The schema layer: is this exactly one well-formed action of schema v1 (safety/action_schema.json)?

Stricter than plain JSON Schema where Python would be lenient: 3.0 is not an integer, True is not
a number, NaN and infinities are not numbers, and text may not hold lone surrogates. Each action
type is checked against its own branch of the schema (the `type` constants are distinct), which
gives a precise message and is ten times faster than `oneOf` over all branches.

jsonschema is the authority and writes every error message. Because it needs ~20 µs even for a
valid click, each branch is also translated into a plain Python check (`fast_check`, only the
keywords the schema uses; an unknown keyword disables the translation). An action the fast check
accepts is accepted; anything else goes to jsonschema. tests/unit/test_safety_schema.py checks
that both agree on every action of the test table and on thousands of mutated ones.
"""
import json
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema import Draft202012Validator

from alphaomega.safety.decision import LayerResult, allow, block

SCHEMA_PATH = Path(__file__).resolve().parent / "action_schema.json"


def _is_integer(checker: Any, instance: Any) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


def _is_number(checker: Any, instance: Any) -> bool:
    if isinstance(instance, bool):
        return False
    if isinstance(instance, float):
        return math.isfinite(instance)
    return isinstance(instance, int)


StrictValidator = jsonschema.validators.extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine_many({"integer": _is_integer, "number": _is_number}),
)


@lru_cache(maxsize=1)
def plan_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text("utf-8"))


@lru_cache(maxsize=1)
def plan_validator() -> Any:
    schema = plan_schema()
    StrictValidator.check_schema(schema)
    return StrictValidator(schema)


def _inline(node: Any, defs: dict) -> Any:
    """The schema with every local `$ref` replaced by its definition (jsonschema resolves refs slowly)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/") and len(node) == 1:
            return _inline(defs[ref[len("#/$defs/"):]], defs)
        return {key: _inline(value, defs) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline(value, defs) for value in node]
    return node


@lru_cache(maxsize=1)
def action_validators() -> dict[str, Any]:
    """One validator per action type, with the `$defs` it uses written in place."""
    schema = plan_schema()
    validators = {}
    for branch in schema["$defs"]["action"]["oneOf"]:
        kind = branch["properties"]["type"]["const"]
        validators[kind] = StrictValidator(_inline(branch, schema["$defs"]))
    return validators


def action_types() -> tuple[str, ...]:
    return tuple(action_validators())


class Untranslatable(Exception):
    """The schema uses a keyword the fast check does not implement."""


_KNOWN = {"type", "const", "enum", "minimum", "maximum", "minLength", "maxLength", "pattern", "not", "required",
          "additionalProperties", "properties", "items", "minItems", "maxItems", "uniqueItems", "default",
          "description", "title"}


def translate(schema: dict) -> Any:
    """A function instance -> bool that accepts exactly what `schema` (a strict v1 branch) accepts."""
    unknown = set(schema) - _KNOWN
    if unknown or schema.get("additionalProperties", False) is not False and "additionalProperties" in schema:
        raise Untranslatable(f"keywords {sorted(unknown)}")
    checks = []
    kind = schema.get("type")
    if kind is not None:
        if not isinstance(kind, str):
            raise Untranslatable("type lists")
        type_check = {"object": lambda v: isinstance(v, dict), "array": lambda v: isinstance(v, list),
                      "string": lambda v: isinstance(v, str), "integer": lambda v: _is_integer(None, v),
                      "number": lambda v: _is_number(None, v), "boolean": lambda v: isinstance(v, bool)}[kind]
        checks.append(type_check)
    if "const" in schema:
        const = schema["const"]
        checks.append(lambda v: type(v) is type(const) and v == const)
    if "enum" in schema:
        options = schema["enum"]
        checks.append(lambda v: any(type(v) is type(o) and v == o for o in options))
    if "minimum" in schema:
        low = schema["minimum"]
        checks.append(lambda v: not _is_number(None, v) or v >= low)
    if "maximum" in schema:
        high = schema["maximum"]
        checks.append(lambda v: not _is_number(None, v) or v <= high)
    if "minLength" in schema:
        shortest = schema["minLength"]
        checks.append(lambda v: not isinstance(v, str) or len(v) >= shortest)
    if "maxLength" in schema:
        longest = schema["maxLength"]
        checks.append(lambda v: not isinstance(v, str) or len(v) <= longest)
    if "pattern" in schema:
        pattern = re.compile(schema["pattern"])
        checks.append(lambda v: not isinstance(v, str) or pattern.search(v) is not None)
    if "not" in schema:
        inner = translate(schema["not"])
        checks.append(lambda v: not inner(v))
    if "minItems" in schema:
        fewest = schema["minItems"]
        checks.append(lambda v: not isinstance(v, list) or len(v) >= fewest)
    if "maxItems" in schema:
        most = schema["maxItems"]
        checks.append(lambda v: not isinstance(v, list) or len(v) <= most)
    if schema.get("uniqueItems"):
        checks.append(lambda v: not isinstance(v, list) or len({json.dumps(i, sort_keys=True) for i in v}) == len(v))
    if "items" in schema:
        item = translate(schema["items"])

        def items_ok(v: Any) -> bool:
            if isinstance(v, list):
                for element in v:
                    if not item(element):
                        return False
            return True

        checks.append(items_ok)
    if "required" in schema:
        required = tuple(schema["required"])

        def required_ok(v: Any) -> bool:
            if isinstance(v, dict):
                for name in required:
                    if name not in v:
                        return False
            return True

        checks.append(required_ok)
    if "properties" in schema:
        properties = {name: translate(sub) for name, sub in schema["properties"].items()}
        closed = schema.get("additionalProperties") is False

        def properties_ok(v: Any) -> bool:
            if isinstance(v, dict):
                for name, value in v.items():
                    check = properties.get(name) if isinstance(name, str) else None
                    if check is None:
                        if closed:
                            return False
                    elif not check(value):
                        return False
            return True

        checks.append(properties_ok)
    elif schema.get("additionalProperties") is False:
        checks.append(lambda v: not isinstance(v, dict) or not v)
    checks_tuple = tuple(checks)

    def all_ok(v: Any) -> bool:
        for check in checks_tuple:
            if not check(v):
                return False
        return True

    return all_ok


@lru_cache(maxsize=1)
def fast_checks() -> dict[str, Any]:
    """Per action type, the plain Python check (empty when the schema cannot be translated)."""
    schema = plan_schema()
    try:
        return {branch["properties"]["type"]["const"]: translate(_inline(branch, schema["$defs"]))
                for branch in schema["$defs"]["action"]["oneOf"]}
    except (Untranslatable, KeyError, TypeError, re.error):
        return {}


def check(action: Any) -> LayerResult:
    if not isinstance(action, dict):
        return block("schema", "schema.not_an_object",
                     f"an action must be a JSON object, not {type(action).__name__}")
    if "actions" in action or "version" in action:
        return block("schema", "schema.plan_not_action",
                     "this is a whole plan; the validator checks one action at a time")
    if any(not isinstance(key, str) for key in action):
        return block("schema", "schema.bad_key", "action keys must be strings")
    kind = action.get("type")
    validators = action_validators()
    if not isinstance(kind, str) or kind not in validators:
        return block("schema", "schema.unknown_type",
                     f"unknown action type {str(kind)[:40]!r}; expected one of {', '.join(validators)}")
    validator = validators[kind]
    fast = fast_checks().get(kind)
    if (fast is None or not fast(action)) and not validator.is_valid(action):
        error = next(iter(validator.iter_errors(action)), None)
        where = "/".join(str(p) for p in error.absolute_path) if error is not None else ""
        message = error.message if error is not None else "does not match the schema"
        if len(message) > 160:
            message = message[:157] + "..."
        return block("schema", "schema.invalid", f"malformed {kind} action{f' at {where}' if where else ''}: {message}")
    for name in ("text", "target", "summary"):
        value = action.get(name)
        if isinstance(value, str) and not _encodable(value):
            return block("schema", "schema.bad_text", f"{name} holds characters that are not valid Unicode text")
    return allow("schema", "schema.v1")


_NONCHARACTERS = re.compile("[\ufdd0-\ufdef\ufffe\uffff\U0001fffe\U0001ffff\U0002fffe\U0002ffff"
                            "\U0003fffe\U0003ffff\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff]")


def _encodable(value: str) -> bool:
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates
        return False
    return _NONCHARACTERS.search(value) is None
