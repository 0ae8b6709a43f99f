"""The checked-in AsyncAPI document is the one the code generates, and it is valid AsyncAPI 3.0.

Validity is checked against the official JSON Schema, vendored unchanged from the npm package
`@asyncapi/specs` 6.11.1 (`schemas/3.0.0.json`) as docs/schemas/asyncapi-3.0.0.schema.json.
"""

from __future__ import annotations

import json
import pkgutil
from pathlib import Path
from typing import Any

from jsonschema import ValidationError  # type: ignore[import-untyped]
from jsonschema.validators import validator_for  # type: ignore[import-untyped]

import services
from deploy.asyncapi import (
    DOCUMENT,
    PRODUCTION_BROKER,
    PRODUCTION_VHOST,
    SERVICE_APPS,
    build_document,
    built_apps,
    event_classes,
    render,
)
from shared.service import PLATFORM, SUBSCRIPTIONS

ASYNCAPI_3_SCHEMA = Path("docs/schemas/asyncapi-3.0.0.schema.json")


def test_asyncapi_document_matches_the_event_models_and_subscriptions() -> None:
    assert DOCUMENT.read_text() == render(), (
        "events or subscriptions changed: run `python -m deploy.asyncapi --write`"
    )


def test_asyncapi_document_is_valid_against_the_official_asyncapi_3_schema() -> None:
    errors = schema_errors(json.loads(DOCUMENT.read_text()))
    assert not errors, f"{len(errors)} AsyncAPI 3.0 schema errors in {DOCUMENT}:\n" + "\n".join(errors)


def test_every_event_is_sent_on_a_channel_of_its_producers_exchange() -> None:
    document = build_document()
    sent = {
        _resolve(document, operation["channel"]["$ref"])["address"]: operation
        for operation in document["operations"].values()
        if operation["action"] == "send"
    }
    for cls in event_classes():
        channel = document["channels"][cls.routing_key().replace(".", "_")]
        assert channel["address"] == cls.routing_key()
        assert channel["bindings"]["amqp"]["exchange"]["name"] == f"tradeguard.{cls.producer()}.events"
        assert cls.producer() in {tag["name"] for tag in sent[cls.routing_key()]["tags"]}
    assert len(sent) == len(event_classes())


def test_every_consumer_subscriptions_event_is_a_receive_operation() -> None:
    """Each (service, queue, event) that a built app subscribes to, in production or sandbox mode."""
    events = event_classes()
    subscribed: set[tuple[str, str, str]] = set()
    for sandbox in (False, True):
        for service, app in built_apps(sandbox=sandbox):
            for subscription in app[SUBSCRIPTIONS]:
                queue = app[PLATFORM].topology.queue(subscription.name)
                whole = subscription.takes_every_event_of()
                every = {cls.routing_key() for cls in events if cls.producer() in whole}
                subscribed |= {(service, queue, key) for key in {*subscription.taken(), *every}}
    assert ("logistics", "tradeguard.logistics.escrow-orders", "escrow.order_funded.v1") in subscribed
    assert ("escrow", "tradeguard.escrow.timeline", "catalog.review_published.v1") in subscribed
    document = build_document()
    received: set[tuple[str, str, str]] = set()
    for operation in document["operations"].values():
        if operation["action"] != "receive":
            continue
        queue = _resolve(document, operation["channel"]["$ref"])["address"]
        service = operation["tags"][0]["name"]  # the consuming service; "sandbox" may follow
        for reference in operation["messages"]:
            message = _resolve(document, reference["$ref"])
            event = next(cls for cls in events if message == _resolve(document, _message_ref(cls)))
            received.add((service, queue, event.routing_key()))
    assert subscribed - received == set(), "subscribed to but not documented"
    assert received - subscribed == set(), "documented but not subscribed to"


# The console publishes and consumes nothing: it calls the services' HTTP APIs.
NOT_ON_THE_BROKER = {"console"}


def test_the_generator_builds_every_service() -> None:
    packages = {info.name for info in pkgutil.iter_modules(services.__path__)} - NOT_ON_THE_BROKER
    assert {settings.SERVICE for _, settings in SERVICE_APPS} == packages


def test_the_production_server_is_the_broker_the_kubernetes_services_connect_to() -> None:
    manifests = [
        path
        for path in sorted(Path("deploy/k8s/services").glob("*.yaml"))
        if path.stem not in NOT_ON_THE_BROKER
    ]
    assert manifests
    for manifest in manifests:
        assert f"@{PRODUCTION_BROKER}/{PRODUCTION_VHOST}\n" in manifest.read_text(), manifest


def test_every_reference_resolves_and_operations_take_only_their_channels_messages() -> None:
    document = build_document()
    for reference in _references(document):
        _resolve(document, reference)
    for name, operation in document["operations"].items():
        channel = operation["channel"]["$ref"]
        for message in operation["messages"]:
            assert message["$ref"].startswith(f"{channel}/messages/"), name


def _message_ref(cls: type[Any]) -> str:
    return f"#/components/messages/{cls.routing_key().replace('.', '_')}"


def _references(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [ref for value in node.values() for ref in _references(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _references(value)]
    return []


def _resolve(document: dict[str, Any], reference: str) -> Any:
    """A local reference (`#/a/b`), followed through further references to what it names."""
    assert reference.startswith("#/"), reference
    node: Any = document
    for part in reference[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return _resolve(document, node["$ref"]) if isinstance(node, dict) and set(node) == {"$ref"} else node


def schema_errors(document: Any) -> list[str]:
    """Every violation of the official schema, one line each, validated by the schema's own draft."""
    schema = json.loads(ASYNCAPI_3_SCHEMA.read_text())
    validator_class = validator_for(schema, default=None)
    assert validator_class is not None, f"no validator for {schema.get('$schema')}"
    validator_class.check_schema(schema)
    found = validator_class(schema).iter_errors(document)
    return [_describe(error) for error in sorted(found, key=lambda error: list(map(str, error.path)))]


def _describe(error: ValidationError) -> str:
    """The error's place and, for a oneOf/anyOf that no branch matched, why the deepest branch failed."""
    causes = _deepest(error)
    where = "/".join(map(str, causes[0].absolute_path))
    return f"  /{where}: " + "; ".join(sorted({cause.message[:300] for cause in causes}))


def _deepest(error: ValidationError) -> list[ValidationError]:
    if not error.context:
        return [error]
    leaves = [leaf for sub in error.context for leaf in _deepest(sub)]
    depth = max(len(leaf.absolute_path) for leaf in leaves)
    return [leaf for leaf in leaves if len(leaf.absolute_path) == depth]
