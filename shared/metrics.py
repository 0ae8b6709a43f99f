"""Prometheus instruments every service exposes at /metrics; one registry per service instance."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class PlatformMetrics:
    """The platform's own instruments (HTTP, messages, outbox); services add domain ones to `registry`."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.http_requests = Counter(
            "http_requests_total",
            "HTTP requests served.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.http_latency = Histogram(
            "http_request_duration_seconds",
            "HTTP request latency.",
            ["method", "route"],
            registry=self.registry,
        )
        self.messages_handled = Counter(
            "messages_handled_total",
            "Messages consumed, by outcome.",
            ["subscription", "outcome"],
            registry=self.registry,
        )
        self.message_latency = Histogram(
            "message_handle_duration_seconds",
            "Time to handle one message.",
            ["subscription"],
            registry=self.registry,
        )
        self.messages_parked = Counter(
            "messages_parked_total",
            "Messages moved to a parking-lot queue.",
            ["subscription"],
            registry=self.registry,
        )
        self.parked_messages = Gauge(
            "parked_messages",
            "Messages parked per queue, waiting for an operator to replay or discard them.",
            ["queue"],
            registry=self.registry,
        )
        self.outbox_published = Counter(
            "outbox_published_total", "Outbox messages published and confirmed.", registry=self.registry
        )
        self.outbox_publish_failures = Counter(
            "outbox_publish_failures_total", "Outbox publish attempts that failed.", registry=self.registry
        )
        self.outbox_pending = Gauge(
            "outbox_pending", "Unsent outbox messages seen by the last relay pass.", registry=self.registry
        )
