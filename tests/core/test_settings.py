"""Start-up configuration: production refuses to start half-configured, and passes Django's deploy checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
GOOD = {
    "DJANGO_SETTINGS_MODULE": "safeboard.config.settings.production",
    "SECRET_KEY": "k3v!x9-long-random-value-for-tests-only-q8w7e6r5t4y3u2i1o0p-zz",
    "ALLOWED_HOSTS": "safeboard.example.org",
    "DATABASE_URL": "postgres://safeboard@127.0.0.1:5432/safeboard",
    "SAFEBOARD_SITE_URL": "https://safeboard.example.org",
    "SAFEBOARD_AUDIT_KEY": "7Hq-audit-key-for-tests-only-Zp4m9Wc2Lx8Rv6",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # A clean environment: nothing from the test run (such as the browser tests' async switch) leaks in.
    leave_out = {*GOOD, "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG", "SAFEBOARD_AUDIT_KEY_FILE"}
    environment = {k: v for k, v in os.environ.items() if k not in leave_out}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=environment, capture_output=True, text=True, timeout=120
    )


def test_the_production_profile_passes_the_deploy_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **GOOD)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY must be set"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS must list"),
        ("DATABASE_URL", "Production needs PostgreSQL"),
        ("SAFEBOARD_SITE_URL", "SAFEBOARD_SITE_URL must be set"),
        ("SAFEBOARD_AUDIT_KEY", "Set SAFEBOARD_AUDIT_KEY, or SAFEBOARD_AUDIT_KEY_FILE"),
    ],
)
def test_production_refuses_to_start_without_essentials(missing, message):
    env = {k: v for k, v in GOOD.items() if k != missing}
    result = manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_weak_secret_key_is_refused():
    result = manage("check", **{**GOOD, "SECRET_KEY": "short"})
    assert result.returncode != 0 and "at least 50 characters" in result.stderr


def test_the_audit_key_may_come_from_a_file(tmp_path):
    key_file = tmp_path / "audit.key"
    key_file.write_text(GOOD["SAFEBOARD_AUDIT_KEY"] + "\n")
    env = {k: v for k, v in GOOD.items() if k != "SAFEBOARD_AUDIT_KEY"}
    assert manage("check", **env, SAFEBOARD_AUDIT_KEY_FILE=str(key_file)).returncode == 0
    both = manage("check", **GOOD, SAFEBOARD_AUDIT_KEY_FILE=str(key_file))
    assert both.returncode != 0 and "not both" in both.stderr
    missing = manage("check", **env, SAFEBOARD_AUDIT_KEY_FILE=str(tmp_path / "nowhere.key"))
    assert missing.returncode != 0 and "cannot be read" in missing.stderr


def test_production_refuses_the_development_audit_key_and_a_short_one():
    from safeboard.config.settings.base import DEV_AUDIT_KEY

    for weak in (DEV_AUDIT_KEY, "short"):
        result = manage("check", **{**GOOD, "SAFEBOARD_AUDIT_KEY": weak})
        assert result.returncode != 0 and "SAFEBOARD_AUDIT_KEY must be a random value" in result.stderr


def test_production_cannot_switch_off_the_access_log():
    result = manage("check", **{**GOOD, "SAFEBOARD_ACCESS_LOG": "false"})
    assert result.returncode != 0 and "SAFEBOARD_ACCESS_LOG cannot be turned off" in result.stderr


def test_production_cannot_switch_off_two_factor():
    result = manage("check", **{**GOOD, "SAFEBOARD_REQUIRE_2FA": "false"})
    assert result.returncode != 0 and "SAFEBOARD_REQUIRE_2FA cannot be turned off" in result.stderr


def test_a_malformed_value_stops_start_up_with_its_name():
    result = manage("check", **{**GOOD, "SESSION_IDLE_MINUTES": "half an hour"})
    assert result.returncode != 0 and "SESSION_IDLE_MINUTES must be a whole number" in result.stderr
    result = manage("check", **{**GOOD, "DEBUG": "perhaps"})
    assert result.returncode != 0 and "DEBUG must be true or false" in result.stderr


def test_the_site_address_must_be_a_plain_https_origin_in_production():
    for value, message in (
        ("http://safeboard.example.org", "must start with https://"),
        ("https://safeboard.example.org/some/path", "must be the site's address"),
        ("safeboard.example.org", "must be the site's address"),
    ):
        result = manage("check", **{**GOOD, "SAFEBOARD_SITE_URL": value})
        assert result.returncode != 0 and message in result.stderr, value
