"""Prometheus instruments every service exposes at /metrics; one registry per service instance.

Every name starts with `tradeguard_`, so dashboards and alerts never mix ours with a library's. Every
labelled series is created at zero for the label values known up front (`expect_*`): a series born with
its first event has no earlier sample, and `increase(...) > 0` or `rate(...)` would miss that event.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, get_args

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

MessageOutcome = Literal["handled", "duplicate", "failed"]
MESSAGE_OUTCOMES: tuple[MessageOutcome, ...] = get_args(MessageOutcome)
# Any route may fail unexpectedly (500) or while a dependency is down (503): what the 5xx alert watches.
SERVER_ERRORS = frozenset({500, 503})


class PlatformMetrics:
    """The platform's own instruments (HTTP, messages, outbox); services add domain ones to `registry`."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.http_requests = Counter(
            "tradeguard_http_requests_total",
            "HTTP requests served.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.http_latency = Histogram(
            "tradeguard_http_request_duration_seconds",
            "HTTP request latency.",
            ["method", "route"],
            registry=self.registry,
        )
        self.messages_handled = Counter(
            "tradeguard_messages_handled_total",
            "Messages consumed, by outcome.",
            ["subscription", "outcome"],
            registry=self.registry,
        )
        self.message_latency = Histogram(
            "tradeguard_message_handle_duration_seconds",
            "Time to handle one message.",
            ["subscription"],
            registry=self.registry,
        )
        self.messages_parked = Counter(
            "tradeguard_messages_parked_total",
            "Messages moved to a parking-lot queue.",
            ["subscription"],
            registry=self.registry,
        )
        self.parked_messages = Gauge(
            "tradeguard_parked_messages",
            "Messages parked per queue, waiting for an operator to replay or discard them.",
            ["queue"],
            registry=self.registry,
        )
        self.outbox_published = Counter(
            "tradeguard_outbox_published_total",
            "Outbox messages published and confirmed.",
            registry=self.registry,
        )
        self.outbox_publish_failures = Counter(
            "tradeguard_outbox_publish_failures_total",
            "Outbox publish attempts that failed.",
            registry=self.registry,
        )
        self.outbox_pending = Gauge(
            "tradeguard_outbox_pending",
            "Unsent outbox messages seen by the last relay pass.",
            registry=self.registry,
        )
        self.outbox_relay_lease_held = Gauge(
            "tradeguard_outbox_relay_lease_held",
            "1 while this replica holds the outbox relay's lease (it sweeps up dead replicas' rows), else 0.",
            registry=self.registry,
        )

    def expect_route(self, method: str, route: str, statuses: Iterable[int] = ()) -> None:
        """A served route's series at zero: its latency, and its answers with these statuses or a 5xx."""
        self.http_latency.labels(method, route)
        for status in sorted({*statuses, *SERVER_ERRORS}):
            self.http_requests.labels(method, route, str(status))

    def expect_subscription(self, subscription: str) -> None:
        """A consumer's series at zero: each outcome, its latency and its parked messages."""
        for outcome in MESSAGE_OUTCOMES:
            self.messages_handled.labels(subscription, outcome)
        self.message_latency.labels(subscription)
        self.messages_parked.labels(subscription)
