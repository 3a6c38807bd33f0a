"""Smoke test of the README's run path: migrate, load the case file, admin account, serve."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def fresh_env(tmp_path):
    """The environment of `make run` on a fresh machine: nothing set but the DEBUG=1 its
    Makefile target adds (the settings themselves, not the test run's)."""
    hidden = {"DATABASE_URL", "DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in hidden}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'run.sqlite3'}"
    env["DEBUG"] = "1"
    return env


def test_make_run_sets_debug_for_every_command_it_runs():
    makefile = (ROOT / "Makefile").read_text()
    assert "run migrate: export DEBUG := $(or $(DEBUG),1)" in makefile


def test_make_run_path_serves_the_loaded_case_file(fresh_env):
    assert manage("migrate", "--noinput", env=fresh_env).returncode == 0

    first = manage("load_casefile", "--if-empty", env=fresh_env)
    assert first.returncode == 0, first.stderr
    assert "Loaded the case file" in first.stdout
    again = manage("load_casefile", "--if-empty", env=fresh_env)
    assert "was not loaded again" in again.stdout

    account = manage("ensure_local_admin", env=fresh_env)
    password = re.search(r"password: (\S+)", account.stdout)
    assert account.returncode == 0 and password, account.stdout
    second = manage("ensure_local_admin", env=fresh_env)
    assert password.group(1) not in second.stdout, "the password must be shown only once"

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=fresh_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(60):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/login/", timeout=2) as response:
                    assert response.status == 200
                    assert "Casefile" in response.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the development server did not answer")
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_ensure_local_admin_refuses_in_production(fresh_env):
    env = dict(fresh_env, DEBUG="0", SECRET_KEY="k3#Qz9@Lp2$Wm8^Rt5&Yv1*Nc6(Hb4)Gd7-Fs0+Ja" * 2, ALLOWED_HOSTS="x.org")
    result = manage("ensure_local_admin", env=env)
    assert result.returncode != 0
    assert "for development" in result.stderr
