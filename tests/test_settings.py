"""Production settings come from the environment: `check --deploy` is clean when HTTPS is switched
on, and every page carries a Content-Security-Policy that allows no script from elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.database


def _check_deploy(tmp_path, **env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("DEBUG",)}
    environ.update({"LUOSHI_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "luoshi.settings", **env})
    return subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
                          env=environ, capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_in_production_settings(tmp_path) -> None:
    production = {
        "SECRET_KEY": "x" * 20 + "-a-long-and-random-enough-secret-key-for-the-check-0123456789",
        "ALLOWED_HOSTS": "luoshi.example.gov.cn", "SECURE_COOKIES": "1", "SECURE_SSL_REDIRECT": "1",
        "SECURE_HSTS_SECONDS": "31536000", "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1", "SECURE_HSTS_PRELOAD": "1",
    }
    run = _check_deploy(tmp_path, **production)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no issues" in run.stdout
    # and each switch is needed: without HTTPS the check says so
    laptop = _check_deploy(tmp_path, SECRET_KEY=production["SECRET_KEY"])
    assert laptop.returncode != 0
    assert "SECURE_HSTS_SECONDS" in laptop.stdout + laptop.stderr


def test_every_page_has_a_content_security_policy(client) -> None:
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
