"""The API's JSON parser: DRF's, refusing documents nested deeper than any record needs
before the JSON decoder recurses into them (a deep enough document exhausts Python's
recursion limit, which the decoder reports as a crash rather than a parse error)."""

import io
import re

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as DRFJSONParser
from rest_framework.parsers import get_encoding

# A record with its children and their lists is about five levels deep.
MAX_JSON_DEPTH = 32

# A string literal (brackets inside it do not nest) or a bracket.
_STRING_OR_BRACKET = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


def nesting_exceeds(text: str, limit: int) -> bool:
    """Whether JSON ``text`` opens more than ``limit`` arrays or objects inside each other,
    counted in one pass over its brackets without parsing it."""
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return True
        elif token in "]}":
            depth -= 1
    return False


class JSONParser(DRFJSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode(get_encoding(parser_context or {}))
        except UnicodeDecodeError as error:
            raise ParseError(f"JSON parse error - {error}") from None
        if nesting_exceeds(text, MAX_JSON_DEPTH):
            raise ParseError(f"JSON parse error - the document is nested more than {MAX_JSON_DEPTH} levels deep.")
        return super().parse(io.BytesIO(raw), media_type, parser_context)
