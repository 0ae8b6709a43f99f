"""The ops figures, aggregated from the services' JSON log lines. Pure: no I/O, no clock.

Feed it lines (`feed_line`) or decoded records (`feed`) in any order, from any number of services and
replicas, then take a `snapshot(now)`. The figures are those of the Grafana dashboards in
`deploy/observability`: order funnel, escrow held/released/refunded per currency, SLA breaches, open
disputes by reason and age, parked messages, HTTP latency and error rate per service.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from deploy.opsview.snapshot import (
    Amount,
    EscrowBalance,
    FunnelStage,
    HttpFigures,
    OpenDisputes,
    ParkedMessages,
    SlaBreaches,
    Snapshot,
)
from deploy.opsview.stats import parse_time, percentile, to_major
from shared.money import CURRENCY_EXPONENTS

Record = Mapping[str, Any]

# Funnel stage → the domain event that marks an order as having reached it.
FUNNEL: tuple[tuple[str, str], ...] = (
    ("placed", "escrow.order_placed"),
    ("funded", "escrow.order_funded"),
    ("shipped", "logistics.shipment_dispatched"),
    ("delivered", "logistics.shipment_delivered"),
    ("completed", "escrow.receipt_confirmed"),
)
SLA_BREACHES: Mapping[str, str] = {
    "logistics.dispatch_deadline_missed": "dispatch",
    "logistics.delivery_deadline_missed": "delivery",
}
CLAIM_CLOSED = frozenset({"disputes.claim_resolved", "disputes.claim_withdrawn"})
# Probes and scrapes would drown the latency and error figures of real traffic (the dashboards drop them too).
PROBE_ROUTES = frozenset({"/healthz", "/readyz", "/metrics"})
AGE_BUCKETS: tuple[tuple[str, timedelta], ...] = (
    ("<1d", timedelta(days=1)),
    ("1-3d", timedelta(days=3)),
    ("3-7d", timedelta(days=7)),
    (">7d", timedelta.max),
)
# Percentiles are over each service's most recent requests, so a long tail keeps memory bounded.
LATENCY_WINDOW = 10_000


@dataclass
class _OrderMoney:
    funded: Amount | None = None
    released: tuple[Amount, datetime] | None = None
    refunds: list[tuple[Amount, datetime]] = field(default_factory=list)


@dataclass
class _Claim:
    reason: str = "unknown"
    opened_at: datetime | None = None
    closed: bool = False


@dataclass
class _Http:
    latencies: deque[float] = field(default_factory=lambda: deque(maxlen=LATENCY_WINDOW))
    requests: int = 0
    server_errors: int = 0


@dataclass
class _Parked:
    messages: int = 0
    last_reason: str = ""


class Figures:
    """Accumulates log records; `snapshot` computes the figures as of a given instant."""

    def __init__(self) -> None:
        self.lines = 0
        self.skipped = 0
        self.latest: datetime | None = None
        # The relay may log an event twice (published, then crashed before marking it sent): count it once.
        self._seen_messages: set[str] = set()
        self._funnel: dict[str, set[str]] = {stage: set() for stage, _ in FUNNEL}
        self._stage_of = {event_type: stage for stage, event_type in FUNNEL}
        self._cancelled: set[str] = set()
        self._orders: defaultdict[str, _OrderMoney] = defaultdict(_OrderMoney)
        self._breaches: Counter[str] = Counter()
        self._compensations: Counter[str] = Counter()
        self._compensated: Counter[tuple[str, str]] = Counter()
        self._claims: defaultdict[str, _Claim] = defaultdict(_Claim)
        self._parked: defaultdict[tuple[str, str], _Parked] = defaultdict(_Parked)
        self._failed_attempts = 0
        self._http: defaultdict[str, _Http] = defaultdict(_Http)
        self._domain: dict[str, Callable[[Record, datetime | None], None]] = {
            "escrow.order_cancelled": self._on_cancelled,
            "escrow.order_funded": self._on_funded,
            "escrow.funds_released": self._on_released,
            "escrow.refund_issued": self._on_refund,
            "escrow.compensation_issued": self._on_compensation,
            "disputes.claim_opened": self._on_claim_opened,
        }

    def feed_line(self, line: str) -> None:
        """One log line; blank lines are ignored and anything but a JSON object is counted as skipped."""
        if not line.strip():
            return
        self.lines += 1
        try:
            record = json.loads(line)
        except ValueError:
            self.skipped += 1
            return
        if not isinstance(record, dict):
            self.skipped += 1
            return
        self.feed(record)

    def feed(self, record: Record) -> None:
        self._observe_time(parse_time(record.get("ts")))
        match record.get("event"):
            case "domain_event":
                self._on_domain_event(record)
            case "http_request":
                self._on_http(record)
            case "message_parked":
                parked = self._parked[(_text(record.get("service")), _text(record.get("queue")))]
                parked.messages += 1
                parked.last_reason = _text(record.get("reason"), "")
            case "message_failed":
                self._failed_attempts += 1
            case _:
                pass  # platform_started, timers_fired, library warnings: not figures

    def snapshot(self, now: datetime | None = None) -> Snapshot:
        """The figures as of `now` (dispute ages); defaults to the latest timestamp read."""
        at = now or self.latest or datetime.fromtimestamp(0, UTC)
        return Snapshot(
            now=at,
            lines=self.lines,
            skipped=self.skipped,
            funnel=tuple(FunnelStage(stage, len(self._funnel[stage])) for stage, _ in FUNNEL),
            cancelled=len(self._cancelled),
            escrow=self._escrow(),
            sla=self._sla(),
            disputes=self._disputes(at),
            parked=tuple(
                ParkedMessages(service, queue, parked.messages, parked.last_reason)
                for (service, queue), parked in sorted(self._parked.items())
            ),
            failed_attempts=self._failed_attempts,
            http=self._http_figures(),
        )

    # --- feeding -----------------------------------------------------------------------------------

    def _observe_time(self, at: datetime | None) -> None:
        if at is not None and (self.latest is None or at > self.latest):
            self.latest = at

    def _on_domain_event(self, record: Record) -> None:
        message_id = record.get("message_id")
        if isinstance(message_id, str):
            if message_id in self._seen_messages:
                return
            self._seen_messages.add(message_id)
        event_type = _text(record.get("event_type"))
        # occurred_at is the business time (the sandbox test clock may run ahead of the wall clock).
        occurred_at = parse_time(record.get("occurred_at"))
        self._observe_time(occurred_at)
        order_id = record.get("order_id")
        stage = self._stage_of.get(event_type)
        if stage is not None and isinstance(order_id, str):
            self._funnel[stage].add(order_id)
        if event_type in SLA_BREACHES:
            self._breaches[SLA_BREACHES[event_type]] += 1
        elif event_type in CLAIM_CLOSED and isinstance(record.get("claim_id"), str):
            self._claims[record["claim_id"]].closed = True
        handler = self._domain.get(event_type)
        if handler is not None:
            handler(record, occurred_at or parse_time(record.get("ts")))

    def _on_cancelled(self, record: Record, _: datetime | None) -> None:
        # The money of a cancellation is its `refund_issued` event, counted there, never twice.
        if isinstance(record.get("order_id"), str):
            self._cancelled.add(record["order_id"])

    def _on_funded(self, record: Record, _: datetime | None) -> None:
        paid = _amount(record.get("paid"))
        if paid is not None and isinstance(record.get("order_id"), str):
            self._orders[record["order_id"]].funded = paid

    def _on_released(self, record: Record, at: datetime | None) -> None:
        released = _amount(record.get("released"))
        if released is not None and at is not None and isinstance(record.get("order_id"), str):
            self._orders[record["order_id"]].released = (released, at)

    def _on_refund(self, record: Record, at: datetime | None) -> None:
        amount = _amount(record.get("amount"))
        if amount is not None and at is not None and isinstance(record.get("order_id"), str):
            self._orders[record["order_id"]].refunds.append((amount, at))

    def _on_compensation(self, record: Record, _: datetime | None) -> None:
        deadline = _text(record.get("deadline"))
        self._compensations[deadline] += 1
        amount = _amount(record.get("amount"))
        if amount is not None:
            self._compensated[(deadline, amount.currency)] += amount.minor

    def _on_claim_opened(self, record: Record, at: datetime | None) -> None:
        if isinstance(record.get("claim_id"), str):
            claim = self._claims[record["claim_id"]]
            claim.reason, claim.opened_at = _text(record.get("reason")), at

    def _on_http(self, record: Record) -> None:
        route, status, latency = record.get("route"), record.get("status"), record.get("latency_ms")
        if route in PROBE_ROUTES or not isinstance(status, int) or not isinstance(latency, int | float):
            return
        http = self._http[_text(record.get("service"))]
        http.requests += 1
        http.latencies.append(float(latency))
        if status >= 500:
            http.server_errors += 1

    # --- figures -----------------------------------------------------------------------------------

    def _escrow(self) -> tuple[EscrowBalance, ...]:
        funded: Counter[str] = Counter()
        released: Counter[str] = Counter()
        refunded: Counter[str] = Counter()
        after_release: Counter[str] = Counter()
        for order in self._orders.values():
            if order.funded is not None:
                funded[order.funded.currency] += order.funded.minor
            if order.released is not None:
                released[order.released[0].currency] += order.released[0].minor
            for amount, at in order.refunds:
                refunded[amount.currency] += amount.minor
                # Decided by time, not by reading order: log files of several services interleave freely.
                if order.released is not None and at >= order.released[1]:
                    after_release[amount.currency] += amount.minor
        currencies = sorted(set(funded) | set(released) | set(refunded))
        return tuple(
            EscrowBalance(
                currency=currency,
                funded=to_major(funded[currency], currency),
                released=to_major(released[currency], currency),
                refunded=to_major(refunded[currency], currency),
                refunded_after_release=to_major(after_release[currency], currency),
                held=to_major(
                    funded[currency] - released[currency] - (refunded[currency] - after_release[currency]),
                    currency,
                ),
            )
            for currency in currencies
        )

    def _sla(self) -> tuple[SlaBreaches, ...]:
        deadlines = sorted(set(self._breaches) | set(self._compensations))
        return tuple(
            SlaBreaches(
                deadline=deadline,
                breaches=self._breaches[deadline],
                compensations=self._compensations[deadline],
                compensated=tuple(
                    (currency, to_major(minor, currency))
                    for (kind, currency), minor in sorted(self._compensated.items())
                    if kind == deadline
                ),
            )
            for deadline in deadlines
        )

    def _disputes(self, now: datetime) -> tuple[OpenDisputes, ...]:
        ages: defaultdict[str, list[timedelta]] = defaultdict(list)
        for claim in self._claims.values():
            # A close read before its open (files interleave) leaves a closed claim without opened_at.
            if not claim.closed and claim.opened_at is not None:
                ages[claim.reason].append(max(now - claim.opened_at, timedelta(0)))
        return tuple(
            OpenDisputes(reason, len(values), max(values), _bucketed(values))
            for reason, values in sorted(ages.items())
        )

    def _http_figures(self) -> tuple[HttpFigures, ...]:
        rows = [_http_row(service, [http]) for service, http in sorted(self._http.items())]
        if len(rows) > 1:
            rows.append(_http_row("all", list(self._http.values())))
        return tuple(rows)


def _http_row(service: str, stats: list[_Http]) -> HttpFigures:
    latencies = [latency for http in stats for latency in http.latencies]
    requests = sum(http.requests for http in stats)
    errors = sum(http.server_errors for http in stats)
    return HttpFigures(
        service=service,
        requests=requests,
        p50_ms=percentile(latencies, 0.50),
        p99_ms=percentile(latencies, 0.99),
        server_errors=errors,
        error_rate=errors / requests if requests else 0.0,
    )


def _bucketed(ages: list[timedelta]) -> tuple[int, ...]:
    counts = [0] * len(AGE_BUCKETS)
    for age in ages:
        counts[next(i for i, (_, bound) in enumerate(AGE_BUCKETS) if age < bound)] += 1
    return tuple(counts)


def _amount(value: object) -> Amount | None:
    """A logged Money ({"amount": minor, "currency": "USD"}); None if malformed or of an unknown currency."""
    if not isinstance(value, Mapping):
        return None
    amount, currency = value.get("amount"), value.get("currency")
    if isinstance(amount, bool) or not isinstance(amount, int) or currency not in CURRENCY_EXPONENTS:
        return None
    return Amount(amount, str(currency))


def _text(value: object, default: str = "unknown") -> str:
    return value if isinstance(value, str) and value else default
