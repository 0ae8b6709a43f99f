"""The session cookie: sealed (unreadable, untamperable), expiring, and carrying the CSRF secret."""

from __future__ import annotations

from services.console.session import Session, SessionCodec

SECRET = "a-test-secret-that-is-long-enough-for-sure"


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_sealed_session_opens_to_the_same_token_and_csrf_secret() -> None:
    codec = SessionCodec(SECRET, ttl_seconds=60)
    session = Session.fresh().signed_in_with("the.jwt.token")

    assert codec.open(codec.seal(session)) == session


def test_the_cookie_does_not_show_the_token() -> None:
    codec = SessionCodec(SECRET, ttl_seconds=60)

    assert "the.jwt.token" not in codec.seal(Session.fresh().signed_in_with("the.jwt.token"))


def test_a_tampered_or_foreign_cookie_opens_to_nothing() -> None:
    codec = SessionCodec(SECRET, ttl_seconds=60)
    sealed = codec.seal(Session.fresh().signed_in_with("token"))
    tampered = sealed[:-6] + ("A" if sealed[-6] != "A" else "B") + sealed[-5:]

    assert codec.open(tampered) is None
    assert SessionCodec("another-secret-that-is-long-enough-too", ttl_seconds=60).open(sealed) is None
    assert codec.open("not a cookie") is None
    assert codec.open(None) is None


def test_a_session_older_than_its_ttl_opens_to_nothing() -> None:
    clock = Clock()
    codec = SessionCodec(SECRET, ttl_seconds=60, clock=clock)
    sealed = codec.seal(Session.fresh().signed_in_with("token"))

    clock.now += 59
    assert codec.open(sealed) is not None
    clock.now += 2
    assert codec.open(sealed) is None


def test_only_the_sessions_own_csrf_value_is_accepted() -> None:
    session = Session.fresh()

    assert session.accepts(session.csrf)
    assert not session.accepts(None)
    assert not session.accepts("")
    assert not session.accepts(Session.fresh().csrf)


def test_signing_in_replaces_the_csrf_secret_seen_before() -> None:
    anonymous = Session.fresh()
    signed_in = anonymous.signed_in_with("token")

    assert signed_in.signed_in
    assert not anonymous.signed_in
    assert not signed_in.accepts(anonymous.csrf)
