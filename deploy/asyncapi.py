"""The AsyncAPI 3.0 document of every event, generated from the pydantic event models beside producers.

python -m deploy.asyncapi           # print
python -m deploy.asyncapi --write   # update docs/asyncapi.json (CI checks it matches the code)
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
from pathlib import Path
from typing import Any

from shared import contracts
from shared.messaging.envelope import Envelope, Event

DOCUMENT = Path("docs/asyncapi.json")
SANDBOX_EVENTS = "shared.sandbox"


def event_classes() -> list[type[Event]]:
    """Every concrete Event subclass in shared/contracts/<producer>.py (and the sandbox clock)."""
    modules = [f"shared.contracts.{info.name}" for info in pkgutil.iter_modules(contracts.__path__)]
    for name in [*modules, SANDBOX_EVENTS]:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
    found: dict[str, type[Event]] = {}
    pending = list(Event.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        # Abstract bases (shared fields) declare no TYPE; test doubles live outside the producers' modules.
        if "TYPE" in vars(cls) and (
            cls.__module__.startswith("shared.contracts.") or cls.__module__ == SANDBOX_EVENTS
        ):
            found[cls.routing_key()] = cls
    return [found[key] for key in sorted(found)]


def build_document() -> dict[str, Any]:
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    nested: dict[str, Any] = {}
    schemas: dict[str, Any] = {"Envelope": _schema(Envelope, nested)}
    for cls in event_classes():
        key = cls.routing_key()
        name = key.replace(".", "_")
        payload = _schema(cls, nested)
        schemas[name] = payload
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
            "bindings": {"amqp": {"deliveryMode": 2, "bindingVersion": "0.3.0"}},
        }
        channels[name] = {
            "address": key,
            "messages": {name: {"$ref": f"#/components/messages/{name}"}},
            "bindings": {
                "amqp": {
                    "is": "routingKey",
                    "exchange": {
                        "name": f"tradeguard.{cls.producer()}.events",
                        "type": "topic",
                        "durable": True,
                    },
                    "bindingVersion": "0.3.0",
                }
            },
        }
        operations[f"publish_{name}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{name}"},
            "summary": f"{cls.producer()} publishes {cls.TYPE} v{cls.VERSION} through its outbox",
            "tags": [{"name": cls.producer()}],
        }
    schemas.update(nested)
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Tradeguard events",
            "version": "1.0.0",
            "description": "Integration events between catalog, escrow, logistics and disputes. Each is "
            "published to its producer's topic exchange with routing key `<type>.v<version>`, wrapped in the "
            "Envelope; consumers deduplicate by `message_id`.",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": dict(sorted(schemas.items()))},
    }


def _schema(model: type[Any], definitions: dict[str, Any]) -> dict[str, Any]:
    """The model's JSON schema with nested definitions hoisted into components/schemas."""
    schema: dict[str, Any] = model.model_json_schema(ref_template="#/components/schemas/{model}")
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
        print(f"wrote {DOCUMENT} ({len(event_classes())} events)")
    else:
        print(render(), end="")


if __name__ == "__main__":
    main()
