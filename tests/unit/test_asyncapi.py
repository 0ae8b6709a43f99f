"""The checked-in AsyncAPI document is the one the event models generate."""

from __future__ import annotations

from deploy.asyncapi import DOCUMENT, build_document, event_classes, render


def test_asyncapi_document_matches_the_event_models() -> None:
    assert DOCUMENT.read_text() == render(), "events changed: run `python -m deploy.asyncapi --write`"


def test_every_event_has_a_channel_on_its_producers_exchange() -> None:
    document = build_document()
    for cls in event_classes():
        channel = document["channels"][cls.routing_key().replace(".", "_")]
        assert channel["address"] == cls.routing_key()
        assert channel["bindings"]["amqp"]["exchange"]["name"] == f"tradeguard.{cls.producer()}.events"
