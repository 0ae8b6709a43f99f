"""`python -m deploy.ops parked …`: what the operator's command line means, and what it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from deploy.ops.cli import LOCAL_STACK_URLS, parse


def test_listing_reads_every_service_of_the_local_stack_unless_told_otherwise() -> None:
    args = parse(["parked", "list"])

    assert (args.command, args.service, args.queue, args.most) == ("list", None, None, 100)
    assert args.urls == LOCAL_STACK_URLS
    assert args.home == Path(".local")


def test_a_url_points_one_service_elsewhere_and_keeps_the_others() -> None:
    args = parse(["parked", "list", "--url", "escrow=http://10.0.0.5:9000/", "--queue", "tg.escrow.claims"])

    assert args.urls == {**LOCAL_STACK_URLS, "escrow": "http://10.0.0.5:9000"}
    assert args.queue == "tg.escrow.claims"


def test_replay_takes_one_message_or_a_whole_queue() -> None:
    one = parse(["parked", "replay", "a1b2", "--service", "escrow"])
    queue = parse(["parked", "replay", "--queue", "tg.escrow.claims", "--service", "escrow"])

    assert (one.id, one.queue) == ("a1b2", None)
    assert (queue.id, queue.queue) == (None, "tg.escrow.claims")


def test_discard_carries_its_reason_and_the_operator_named_for_the_audit() -> None:
    args = parse(
        [
            "parked",
            "discard",
            "a1b2",
            "--service",
            "disputes",
            "--reason",
            "Cancelled by hand",
            "--operator",
            "ann",
        ]
    )

    assert (args.id, args.service, args.reason, args.operator) == (
        "a1b2",
        "disputes",
        "Cancelled by hand",
        "ann",
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["parked", "replay", "--service", "escrow"],  # neither an id nor a queue
        ["parked", "replay", "a1b2", "--queue", "q", "--service", "escrow"],  # both
        ["parked", "replay", "a1b2"],  # whose parked message?
        ["parked", "show", "a1b2"],
        ["parked", "discard", "a1b2", "--service", "escrow"],  # no reason
        ["parked", "list", "--service", "billing"],
        ["parked", "list", "--url", "escrow"],
        ["parked", "list", "--url", "billing=http://x"],
        ["parked", "list", "--most", "0"],
        ["parked"],
        [],
    ],
)
def test_incomplete_or_unknown_arguments_are_refused(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        parse(argv)

    assert exit_.value.code == 2
    assert "error:" in capsys.readouterr().err
