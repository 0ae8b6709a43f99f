"""The AsyncAPI 3.0 document of every event, generated from the code: who sends and receives it, its schema.

python -m deploy.asyncapi           # print
python -m deploy.asyncapi --write   # update docs/asyncapi.json (CI checks it matches the code)

Send operations: one per event, on its producer's topic exchange (payload schemas from the pydantic models
in EVENT_MODULES). Receive operations: one per (consuming service, subscription queue, event type), read
from the subscriptions each service's composition root builds (SERVICE_APPS), built but never started.
tests/unit/test_asyncapi.py validates the document against the official AsyncAPI 3.0.0 JSON Schema.
"""

from __future__ import annotations

import argparse
import importlib
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from services.catalog.app import build_app as build_catalog
from services.catalog.settings import CatalogSettings
from services.disputes.app import build_app as build_disputes
from services.disputes.settings import DisputesSettings
from services.escrow.app import build_app as build_escrow
from services.escrow.settings import EscrowSettings
from services.logistics.app import build_app as build_logistics
from services.logistics.settings import LogisticsSettings
from shared.messaging.envelope import Envelope, Event
from shared.messaging.subscription import Subscription
from shared.messaging.topology import Topology
from shared.service import PLATFORM, SUBSCRIPTIONS
from shared.settings import ServiceSettings

DOCUMENT = Path("docs/asyncapi.json")
# The modules whose Event subclasses are the documented events: producers' contracts and the sandbox clock.
EVENT_MODULES = (
    "shared.contracts.catalog",
    "shared.contracts.escrow",
    "shared.contracts.logistics",
    "shared.contracts.disputes",
    "shared.sandbox",
)
# The composition roots whose subscriptions are the documented consumers.
SERVICE_APPS: tuple[tuple[Callable[..., web.Application], type[ServiceSettings]], ...] = (
    (build_catalog, CatalogSettings),
    (build_escrow, EscrowSettings),
    (build_logistics, LogisticsSettings),
    (build_disputes, DisputesSettings),
)
NAMESPACE = "tradeguard"
BINDING_VERSION = "0.3.0"  # of the AMQP bindings
# The RabbitmqCluster and vhost of deploy/k8s/rabbitmq, as the services' AMQP_URL names them in-cluster.
PRODUCTION_BROKER = "tradeguard-rabbitmq:5672"
PRODUCTION_VHOST = "tradeguard"


def event_classes() -> list[type[Event]]:
    """Every concrete Event subclass of EVENT_MODULES, by routing key."""
    for name in EVENT_MODULES:
        importlib.import_module(name)
    found: dict[str, type[Event]] = {}
    pending = list(Event.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        # Abstract bases (shared fields) declare no TYPE; test doubles live outside the producers' modules.
        if "TYPE" in vars(cls) and cls.__module__ in EVENT_MODULES:
            found[cls.routing_key()] = cls
    return [found[key] for key in sorted(found)]


@dataclass(frozen=True)
class ConsumedEvent:
    """One event type a service takes from one of its subscription queues."""

    service: str
    subscription: str
    queue: str
    event: type[Event]
    # Bindings of the whole queue: producer's exchange → routing keys (a catch-all binds `<producer>.#`).
    bindings: tuple[tuple[str, tuple[str, ...]], ...]
    sandbox_only: bool


def built_apps(*, sandbox: bool) -> list[tuple[str, web.Application]]:
    """Every service's app, built with default settings and never started: nothing connects to anything."""
    with tempfile.TemporaryDirectory() as home:
        # Building reads the JWT and quote verification key sets; an empty set is enough to build.
        keys = Path(home, "jwks.json")
        keys.write_text('{"keys": []}')
        apps = []
        for build, settings in SERVICE_APPS:
            # Pinned, so that the environment (SANDBOX, SERVICE_NAME, AMQP_NAMESPACE...) cannot change names.
            values: dict[str, Any] = {
                "service_name": settings.SERVICE,
                "sandbox": sandbox,
                "amqp_namespace": NAMESPACE,
                "jwt_public_keys_file": keys,
                "quote_public_keys_file": keys,
            }
            apps.append((settings.SERVICE, build(settings(**values))))
        return apps


@cache
def consumed_events() -> tuple[ConsumedEvent, ...]:
    """Every (service, queue, event) the services subscribe to, in production or only in sandbox mode."""
    events = {cls.routing_key(): cls for cls in event_classes()}
    found: dict[tuple[str, str, str], ConsumedEvent] = {}
    # Sandbox mode only adds subscriptions: what production also has is recorded again, as not sandbox-only.
    for sandbox in (True, False):
        for service, app in built_apps(sandbox=sandbox):
            topology = app[PLATFORM].topology
            for subscription in app[SUBSCRIPTIONS]:
                bindings = tuple(
                    (topology.events_exchange(producer), tuple(sorted(keys)))
                    for producer, keys in sorted(subscription.bindings().items())
                )
                for key in _routing_keys(subscription, events):
                    if key not in events:
                        raise LookupError(
                            f"{service}/{subscription.name} takes {key}, not an event of {EVENT_MODULES}"
                        )
                    found[(service, subscription.name, key)] = ConsumedEvent(
                        service=service,
                        subscription=subscription.name,
                        queue=topology.queue(subscription.name),
                        event=events[key],
                        bindings=bindings,
                        sandbox_only=sandbox,
                    )
    return tuple(found[key] for key in sorted(found))


def _routing_keys(subscription: Subscription, events: dict[str, type[Event]]) -> list[str]:
    """The typed routes' keys, and every event of each producer the subscription takes whole."""
    every = [key for key, cls in events.items() if cls.producer() in subscription.takes_every_event_of()]
    return sorted({*subscription.taken(), *every})


def build_document() -> dict[str, Any]:
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    nested: dict[str, Any] = {}
    schemas: dict[str, Any] = {"Envelope": _schema(Envelope, nested)}
    exchanges = Topology(namespace=NAMESPACE, service="", retry_delays_ms=())
    for cls in event_classes():
        key = cls.routing_key()
        name = message_name(cls)
        schemas[name] = _schema(cls, nested)
        messages[name] = {
            "name": cls.TYPE,
            "title": cls.__name__,
            "summary": (cls.__doc__ or "").strip().split("\n")[0],
            "contentType": "application/json",
            "payload": {
                "allOf": [
                    {"$ref": "#/components/schemas/Envelope"},
                    {"type": "object", "properties": {"payload": {"$ref": f"#/components/schemas/{name}"}}},
                ]
            },
            # The AMQP `type` property of every published message (shared/messaging/topology.py).
            "bindings": {"amqp": {"messageType": cls.TYPE, "bindingVersion": BINDING_VERSION}},
        }
        channels[name] = {
            "address": key,
            "title": f"{key} on {exchanges.events_exchange(cls.producer())}",
            "messages": {name: {"$ref": f"#/components/messages/{name}"}},
            "bindings": {
                "amqp": {
                    "is": "routingKey",
                    "exchange": {
                        "name": exchanges.events_exchange(cls.producer()),
                        "type": "topic",
                        "durable": True,
                        "autoDelete": False,
                    },
                    "bindingVersion": BINDING_VERSION,
                }
            },
        }
        operations[f"publish_{name}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{name}"},
            "messages": [{"$ref": f"#/channels/{name}/messages/{name}"}],
            "summary": f"{cls.producer()} publishes {cls.TYPE} v{cls.VERSION} through its outbox",
            "tags": [{"name": cls.producer()}],
            # Publisher confirms, persistent delivery and `mandatory` (shared/messaging/publisher.py).
            "bindings": {"amqp": {"deliveryMode": 2, "mandatory": True, "bindingVersion": BINDING_VERSION}},
        }
    for consumer in consumed_events():
        queue = queue_channel(consumer.queue)
        name = message_name(consumer.event)
        channel = channels.setdefault(queue, _queue_channel(consumer))
        channel["messages"][name] = {"$ref": f"#/components/messages/{name}"}
        operations[receive_operation(consumer)] = {
            "action": "receive",
            "channel": {"$ref": f"#/channels/{queue}"},
            "messages": [{"$ref": f"#/channels/{queue}/messages/{name}"}],
            "summary": f"{consumer.service} takes {consumer.event.TYPE} v{consumer.event.VERSION} "
            f"from {consumer.queue}" + (" (sandbox mode only)" if consumer.sandbox_only else ""),
            "tags": [{"name": consumer.service}, *([{"name": "sandbox"}] if consumer.sandbox_only else [])],
            # Acknowledged after the handler's transaction commits (shared/messaging/consumer.py).
            "bindings": {"amqp": {"ack": True, "bindingVersion": BINDING_VERSION}},
        }
    schemas.update(nested)
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Tradeguard events",
            "version": "1.0.0",
            "description": "Integration events between catalog, escrow, logistics and disputes. Each is "
            "published to its producer's topic exchange with routing key `<type>.v<version>`, wrapped in the "
            "Envelope, and received from the consuming service's subscription queue "
            "(`<namespace>.<service>.<subscription>`, a quorum queue bound to the producers' exchanges); "
            "consumers deduplicate by `message_id`.",
        },
        "defaultContentType": "application/json",
        "servers": _servers(),
        "channels": channels,
        "operations": operations,
        "components": {
            "messages": messages,
            "schemas": dict(sorted(schemas.items())),
            "securitySchemes": {
                "brokerUser": {
                    "type": "userPassword",
                    "description": "Each service connects as its own RabbitMQ user, allowed only its own "
                    "exchanges and queues (deploy/k8s/rabbitmq/users.yaml, permissions.yaml; locally "
                    "deploy/local/broker_users.py when the stack owns the broker).",
                }
            },
        },
    }


def message_name(cls: type[Event]) -> str:
    """The event's key in components/messages (and its send channel): `escrow_order_funded_v1`."""
    return cls.routing_key().replace(".", "_")


def queue_channel(queue: str) -> str:
    """A subscription queue's key in channels: `tradeguard_logistics_escrow-orders`."""
    return queue.replace(".", "_")


def receive_operation(consumer: ConsumedEvent) -> str:
    return f"receive_{consumer.service}_{consumer.subscription}_{message_name(consumer.event)}"


def _queue_channel(consumer: ConsumedEvent) -> dict[str, Any]:
    bound = "; ".join(
        f"`{exchange}` with {', '.join(f'`{key}`' for key in keys)}" for exchange, keys in consumer.bindings
    )
    return {
        "address": consumer.queue,
        "title": f"{consumer.service} {consumer.subscription} queue",
        "description": f"Quorum queue of the `{consumer.subscription}` subscription of {consumer.service}, "
        f"bound to {bound}. Failed messages wait in delayed retry queues, then park in its parking lot.",
        "messages": {},
        "bindings": {
            "amqp": {
                "is": "queue",
                "queue": {"name": consumer.queue, "durable": True, "exclusive": False, "autoDelete": False},
                "bindingVersion": BINDING_VERSION,
            }
        },
    }


def _servers() -> dict[str, Any]:
    local = urlsplit(ServiceSettings.model_fields["amqp_url"].default)
    security = [{"$ref": "#/components/securitySchemes/brokerUser"}]
    return {
        "production": {
            "host": PRODUCTION_BROKER,
            "pathname": f"/{PRODUCTION_VHOST}",
            "protocol": "amqp",
            "protocolVersion": "0.9.1",
            "title": "Production RabbitMQ",
            "description": f"The RabbitmqCluster of deploy/k8s/rabbitmq, reached inside the cluster; vhost "
            f"`{PRODUCTION_VHOST}`.",
            "security": security,
        },
        "local": {
            "host": f"{local.hostname}:{local.port}",
            "protocol": "amqp",
            "protocolVersion": "0.9.1",
            "title": "Local RabbitMQ",
            "description": "The broker of the local stack (`make up`); default vhost `/`.",
            "security": security,
        },
    }


def _schema(model: type[Any], definitions: dict[str, Any]) -> dict[str, Any]:
    """The model's JSON schema as written on the wire, nested definitions hoisted into components/schemas."""
    schema: dict[str, Any] = model.model_json_schema(
        ref_template="#/components/schemas/{model}", mode="serialization"
    )
    definitions.update(schema.pop("$defs", {}))
    return schema


def render() -> str:
    return json.dumps(build_document(), indent=2, sort_keys=True) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--write", action="store_true", help=f"write {DOCUMENT}")
    args = parser.parse_args()
    if args.write:
        DOCUMENT.parent.mkdir(parents=True, exist_ok=True)
        DOCUMENT.write_text(render())
        print(f"wrote {DOCUMENT} ({len(event_classes())} events sent, {len(consumed_events())} received)")
    else:
        print(render(), end="")


if __name__ == "__main__":
    main()
