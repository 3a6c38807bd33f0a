"""Settings of the test run (pytest.ini): development mode unless the environment says
otherwise, so `make test` and a bare `pytest` work on a fresh clone with nothing set.

Set in the environment rather than here, so the servers and commands some tests start in
subprocesses run in the same mode. Tests of the production settings start their
subprocesses with ``DJANGO_SETTINGS_MODULE=casefile.settings`` and their own DEBUG.
"""

import os

os.environ.setdefault("DEBUG", "1")

from casefile.settings import *  # noqa: E402, F403
