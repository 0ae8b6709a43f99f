"""Provider webhooks are accepted only when signed by an active secret over this exact body, recently."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.http.problems import PROBLEM_TYPE_BASE, webhook_problem
from shared.security.webhooks import (
    MalformedSignature,
    MissingSignature,
    SignatureMismatch,
    StaleSignature,
    WebhookRejected,
    sign,
    verify,
)

SECRET = "whsec_current"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
BODY = b'{"event":"payment.succeeded","payment_id":"pay_1"}'


def test_a_webhook_signed_with_the_secret_is_accepted() -> None:
    header = sign(SECRET, BODY, int(NOW.timestamp()))

    assert verify(SECRET, header, BODY, NOW) == int(NOW.timestamp())


@pytest.mark.parametrize("header", [None, ""])
def test_an_unsigned_webhook_is_refused(header: str | None) -> None:
    with pytest.raises(MissingSignature):
        verify(SECRET, header, BODY, NOW)


@pytest.mark.parametrize("header", ["garbage", "t=abc,v1=00", "v1=00", f"t={int(NOW.timestamp())}"])
def test_a_malformed_signature_header_is_refused(header: str) -> None:
    with pytest.raises(MalformedSignature):
        verify(SECRET, header, BODY, NOW)


def test_a_webhook_signed_with_another_secret_is_refused() -> None:
    header = sign("whsec_attacker", BODY, int(NOW.timestamp()))

    with pytest.raises(SignatureMismatch):
        verify(SECRET, header, BODY, NOW)


def test_a_tampered_body_is_refused() -> None:
    header = sign(SECRET, BODY, int(NOW.timestamp()))

    with pytest.raises(SignatureMismatch):
        verify(SECRET, header, BODY.replace(b"pay_1", b"pay_2"), NOW)


@pytest.mark.parametrize("age", [timedelta(minutes=6), -timedelta(minutes=6)])
def test_a_webhook_outside_the_tolerance_window_is_refused(age: timedelta) -> None:
    header = sign(SECRET, BODY, int((NOW - age).timestamp()))

    with pytest.raises(StaleSignature):
        verify(SECRET, header, BODY, NOW, tolerance_seconds=300)


def test_a_resigned_timestamp_does_not_reuse_an_old_signature() -> None:
    # Given a captured delivery, when an attacker moves `t` forward but keeps the old v1, then it fails.
    old = sign(SECRET, BODY, int((NOW - timedelta(hours=1)).timestamp()))
    forged = f"t={int(NOW.timestamp())}," + old.split(",", 1)[1]

    with pytest.raises(SignatureMismatch):
        verify(SECRET, forged, BODY, NOW)


def test_every_active_secret_is_accepted_during_rotation() -> None:
    signed_with_old = sign("whsec_previous", BODY, int(NOW.timestamp()))
    signed_with_new = sign(SECRET, BODY, int(NOW.timestamp()))

    for header in (signed_with_old, signed_with_new):
        verify([SECRET, "whsec_previous"], header, BODY, NOW)


def test_a_header_carrying_several_signatures_matches_any_of_them() -> None:
    timestamp = int(NOW.timestamp())
    other = sign("whsec_unknown", BODY, timestamp).split(",", 1)[1]
    header = f"{sign(SECRET, BODY, timestamp)},{other}"

    assert verify(SECRET, header, BODY, NOW) == timestamp


# One problem per failure, whichever provider sent the webhook and whichever service received it.
REFUSALS: dict[str, tuple[str | None, int, str]] = {
    "unsigned": (None, 401, "webhook-signature-invalid"),
    "another secret": (sign("whsec_attacker", BODY, int(NOW.timestamp())), 401, "webhook-signature-invalid"),
    "garbled": ("v1=deadbeef", 401, "webhook-signature-invalid"),
    "stale": (sign(SECRET, BODY, int((NOW - timedelta(hours=1)).timestamp())), 400, "webhook-stale"),
}


@pytest.mark.parametrize(("header", "status", "slug"), REFUSALS.values(), ids=REFUSALS.keys())
def test_each_refusal_is_answered_with_the_one_problem_of_its_failure(
    header: str | None, status: int, slug: str
) -> None:
    with pytest.raises(WebhookRejected) as refused:
        verify(SECRET, header, BODY, NOW)

    problem = webhook_problem(refused.value)
    assert (problem.status, problem.type_uri) == (status, PROBLEM_TYPE_BASE + slug)
    assert problem.detail == str(refused.value)
