"""The API's JSON parser: DRF's, refusing bodies nested too deep (issue 16).

Its own module: ``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]`` is read when the first ``APIView``
subclass is created, which ``core.api`` does, so the parser cannot live there.
"""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.parsers import JSONParser

MAX_JSON_DEPTH = 32


class TooDeep(exceptions.ParseError):
    default_detail = f"Dữ liệu JSON lồng nhau quá sâu (tối đa {MAX_JSON_DEPTH} mức)."


def _depth_exceeds(data, limit: int) -> bool:
    """True when ``data`` nests lists and objects more than ``limit`` deep (no recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        elif not isinstance(value, list):
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in value if isinstance(child, dict | list))
    return False


class ViJSONParser(JSONParser):
    """DRF's JSON parser that refuses bodies nested deeper than ``MAX_JSON_DEPTH`` (a 400: deep
    nesting made the serializers recurse until RecursionError, a 500; issue 16)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise TooDeep() from exc
        if _depth_exceeds(data, MAX_JSON_DEPTH):
            raise TooDeep()
        return data
