"""The visual pages' bundles in static/js/dist/ are committed build output: rebuilding them
from frontend/ with the pinned packages must give the same bytes, so an edit to a source or
an upgrade in package-lock.json cannot ship without its bundle (`make assets` rebuilds)."""

import filecmp
import shutil
import subprocess

import pytest

from tests.browser.conftest import ROOT

pytestmark = pytest.mark.browser

DIST = ROOT / "static" / "js" / "dist"


def test_committed_bundles_match_a_fresh_build(tmp_path):
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "esbuild").exists():
        pytest.fail("node and node_modules/ are needed: `make test` runs `npm ci`.")
    subprocess.run([node, str(ROOT / "frontend" / "build.mjs"), str(tmp_path)], check=True,
                   capture_output=True, text=True)
    built = sorted(p.name for p in tmp_path.glob("*.js"))
    committed = sorted(p.name for p in DIST.glob("*.js"))
    assert built == committed, "static/js/dist/ is not the build of frontend/: run `make assets`"
    match, mismatch, errors = filecmp.cmpfiles(tmp_path, DIST, built, shallow=False)
    assert mismatch == [] and errors == [], f"stale bundles {mismatch}: run `make assets`"
