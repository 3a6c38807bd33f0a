import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env_overrides):
    # The project's settings as a server would read them, not the test run's (which turn DEBUG on).
    hidden = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in hidden}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_under_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={
            "DEBUG": "0",
            "SECRET_KEY": "k3#Qz9@Lp2$Wm8^Rt5&Yv1*Nc6(Hb4)Gd7-Fs0+Ja" * 2,
            "ALLOWED_HOSTS": "casefile.example.org",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env_overrides={"DEBUG": "0", "ALLOWED_HOSTS": "casefile.example.org"})
    assert result.returncode != 0
    assert "Set SECRET_KEY when DEBUG is off:" in result.stderr


LONG_KEY = "k3#Qz9@Lp2$Wm8^Rt5&Yv1*Nc6(Hb4)Gd7-Fs0+Ja" * 2


@pytest.mark.parametrize(
    ("key", "said"),
    [(None, "none is set"), ("short", "the one given has 5 characters"), ("x" * 60, "the one given has 60")],
)
def test_with_debug_unset_a_missing_short_or_plain_key_is_refused_at_start(key, said):
    result = run_manage("check", env_overrides={"ALLOWED_HOSTS": "casefile.example.org"} | (
        {"SECRET_KEY": key} if key else {}
    ))
    assert result.returncode != 0
    assert "ImproperlyConfigured: Set SECRET_KEY when DEBUG is off: a random string of at least 50" in result.stderr
    assert said in result.stderr
    assert "set DEBUG=1 instead" in result.stderr


def test_with_debug_unset_the_app_runs_in_production_mode():
    script = "from django.conf import settings; print(settings.DEBUG, len(settings.SECRET_KEY))"
    production = {"SECRET_KEY": LONG_KEY, "ALLOWED_HOSTS": "casefile.example.org"}
    result = run_manage("shell", "--no-imports", "-c", script, env_overrides=production)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", str(len(LONG_KEY))]


def test_debug_on_runs_on_the_development_key_with_nothing_else_set():
    script = "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY.startswith('development'))"
    result = run_manage("shell", "--no-imports", "-c", script, env_overrides={"DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]


def test_the_test_run_is_in_development_mode_with_nothing_set():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    env["DJANGO_SETTINGS_MODULE"] = "casefile.test_settings"
    script = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True"]


def test_sqlite_connections_persist_across_requests(tmp_path):
    # Requests through the WSGI handler, as gunicorn serves them (the benchmark's client):
    # Django closes the connection when a request finishes unless CONN_MAX_AGE keeps it.
    script = (
        "import django, runpy; django.setup()\n"
        "from django.db import connection\n"
        "get = runpy.run_path('benchmarks/api_benchmark.py')['wsgi_client']()\n"
        "get('/api/v1/places/', '')\n"
        "first = connection.connection\n"
        "get('/api/v1/places/', '')\n"
        "print(connection.settings_dict['CONN_MAX_AGE'], first is not None and connection.connection is first)\n"
    )
    database = f"sqlite:///{tmp_path / 'casefile.sqlite3'}"
    migrated = run_manage("migrate", "--noinput", env_overrides={"DATABASE_URL": database, "DEBUG": "1"})
    assert migrated.returncode == 0, migrated.stderr
    env = {k: v for k, v in os.environ.items() if k != "CONN_MAX_AGE"}
    env.update({"DATABASE_URL": database, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "casefile.settings"})
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["60", "True"]


def test_sqlite_files_hold_concurrent_writers(tmp_path):
    """Write-ahead logging, write transactions that take the lock as they begin, and a wait
    for the lock rather than "database is locked" at once."""
    script = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "cursor = connection.cursor()\n"
        "cursor.execute('PRAGMA journal_mode')\n"
        "print(cursor.fetchone()[0], connection.settings_dict['OPTIONS']['transaction_mode'])\n"
    )
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'casefile.sqlite3'}", "DEBUG": "1"}
    env["DJANGO_SETTINGS_MODULE"] = "casefile.settings"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "IMMEDIATE"]
