"""The local stack names every setting it gives a service with that service's prefix."""

from __future__ import annotations

from deploy.local.stack import LocalStack


def test_shared_settings_reach_each_service_under_its_prefix_and_other_variables_unchanged() -> None:
    stack = LocalStack(
        extra_env={
            "RETRY_DELAYS_MS": "[200, 1000]",
            "PYTHONPATH": "/trace",
            "ESCROW_PROFILE_PATH": "e.pstats",
        }
    )

    env = stack.service_env("escrow", {"AMQP_URL": "amqp://broker/", "MONGO_URL": "mongodb://db/"})

    assert env == {
        "ESCROW_RETRY_DELAYS_MS": "[200, 1000]",
        "ESCROW_AMQP_URL": "amqp://broker/",
        "ESCROW_MONGO_URL": "mongodb://db/",
        "PYTHONPATH": "/trace",
        "ESCROW_PROFILE_PATH": "e.pstats",
    }
