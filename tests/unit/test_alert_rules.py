"""The Prometheus alert rules, run against their unit tests (alerts.test.yml) by promtool.

`make test` installs promtool (Debian's `prometheus`) first: a missing promtool fails here, never skips.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import yaml

PROMETHEUS = Path(__file__).resolve().parents[2] / "deploy" / "observability" / "prometheus"
RULES, RULE_TESTS = PROMETHEUS / "alerts.yml", PROMETHEUS / "alerts.test.yml"


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("promtool")
    assert binary is not None, "promtool is missing: `make promtool` installs it (Debian package prometheus)"
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=60, check=False)


def test_alert_rules_fire_as_their_unit_tests_say() -> None:
    # given the rules and their tests, when promtool runs them
    run = promtool("test", "rules", str(RULE_TESTS))

    # then every expected alert fired, with its labels and annotations, and no other
    assert run.returncode == 0, run.stdout + run.stderr


def test_every_alert_rule_has_a_unit_test_that_sees_it_fire() -> None:
    rules = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    tests = yaml.safe_load(RULE_TESTS.read_text(encoding="utf-8"))

    alerts = {rule["alert"] for group in rules["groups"] for rule in group["rules"]}
    fired = {
        check["alertname"]
        for test in tests["tests"]
        for check in test.get("alert_rule_test", [])
        if check.get("exp_alerts")
    }

    assert alerts == fired
