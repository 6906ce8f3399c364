"""A small JSON Schema validator, compiled once, that names the bad field the way people read it.

It covers what ``scenario.schema.json`` uses: ``type`` (one or several), ``enum``,
``required``, ``additionalProperties: false``, ``properties`` and ``items``. A schema compiles
to nested closures, so validating 100,000 messages costs a few type checks each; the path of
a failure is built only when there is one: ``messages[3].to: expected a list of strings``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

Json = Any
Check = Callable[[Json], None]

_PY_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "null": (type(None),),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
    "integer": (int,),
    "number": (int, float),
}
_TYPE_NAMES = {
    "object": "an object",
    "array": "a list",
    "string": "a string",
    "boolean": "true or false",
    "null": "null",
    "integer": "a whole number",
    "number": "a number",
}


class SchemaError(ValueError):
    """A value that does not match its schema; ``path`` names the field (``a.b[3].c``)."""

    def __init__(self, problem: str, parts: list[str | int] | None = None) -> None:
        self.problem = problem
        self.parts: list[str | int] = parts or []  # innermost first, filled while unwinding
        super().__init__(problem)

    @property
    def path(self) -> str:
        text = ""
        for part in reversed(self.parts):
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
        return text

    def __str__(self) -> str:
        return f"{self.path or '(root)'}: {self.problem}"


def expected(schema: Mapping[str, Json]) -> str:
    """What a schema wants, in words: "expected a list of strings"."""
    if "enum" in schema:
        return "expected one of " + ", ".join(json.dumps(v) for v in schema["enum"])
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else list(kinds or [])
    if kinds == ["array"] and isinstance(schema.get("items"), dict):
        item = schema["items"].get("type")
        if isinstance(item, str) and item in ("string", "boolean"):
            return f"expected a list of {item}s"
    return "expected " + " or ".join(_TYPE_NAMES.get(k, k) for k in kinds)


def compile_schema(schema: Mapping[str, Json]) -> Check:
    """Turn a schema into a function that raises ``SchemaError`` on the first mismatch."""
    problem = expected(schema)
    kinds = schema.get("type")
    names = (kinds,) if isinstance(kinds, str) else tuple(kinds or ())
    types = tuple(t for name in names for t in _PY_TYPES.get(name, ()))
    allowed = list(schema["enum"]) if "enum" in schema else None
    inner = _compile_object(schema) if "object" in names else None
    items = _compile_items(schema, problem) if "array" in names else None

    def check(value: Json) -> None:
        kind = type(value)
        if types and kind not in types:
            raise SchemaError(problem)
        if allowed is not None and value not in allowed:
            raise SchemaError(problem)
        if kind is dict and inner is not None:
            inner(value)
        elif kind is list and items is not None:
            items(value)

    return check


def _compile_object(schema: Mapping[str, Json]) -> Check:
    props = {name: compile_schema(sub) for name, sub in schema.get("properties", {}).items()}
    required = tuple(schema.get("required", ()))
    closed = schema.get("additionalProperties", True) is False

    def check(value: dict[str, Json]) -> None:
        for name in required:
            if name not in value:
                raise SchemaError("required field is missing", [name])
        for name, item in value.items():
            sub = props.get(name)
            if sub is None:
                if closed:
                    raise SchemaError("unknown field", [name])
                continue
            try:
                sub(item)
            except SchemaError as error:
                error.parts.append(name)
                raise

    return check


def _compile_items(schema: Mapping[str, Json], problem: str) -> Check | None:
    items = schema.get("items")
    if not isinstance(items, Mapping):
        return None
    simple = items.get("type")
    if set(items) <= {"type", "description"} and isinstance(simple, str):
        # A list of plain values: report it at the list ("expected a list of strings").
        item_types = _PY_TYPES.get(simple, ())

        def check_simple(value: list[Json]) -> None:
            for item in value:
                if type(item) not in item_types:
                    raise SchemaError(problem)

        return check_simple
    sub = compile_schema(items)

    def check_each(value: list[Json]) -> None:
        for i, item in enumerate(value):
            try:
                sub(item)
            except SchemaError as error:
                error.parts.append(i)
                raise

    return check_each
