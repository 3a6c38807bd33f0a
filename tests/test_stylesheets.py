"""Every stylesheet closes what it opens: one missing "}" puts every later rule inside the
block before it (a phone-only @media once swallowed the charts' and the map's styles)."""

import re
from pathlib import Path

import pytest

STYLESHEETS = sorted((Path(__file__).resolve().parents[1] / "static" / "css").glob("*.css"))


@pytest.mark.parametrize("stylesheet", STYLESHEETS, ids=lambda path: path.name)
def test_braces_balance(stylesheet):
    text = re.sub(r"/\*.*?\*/", "", stylesheet.read_text(), flags=re.S)
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"{stylesheet.name}: a '}}' closes nothing at line {number}"
    assert depth == 0, f"{stylesheet.name}: {depth} block(s) left open"
