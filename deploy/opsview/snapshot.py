"""The figures of one instant, as immutable values: what `Figures.snapshot` returns and `render` prints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal


@dataclass(frozen=True)
class Amount:
    minor: int
    currency: str


@dataclass(frozen=True)
class FunnelStage:
    stage: str
    orders: int


@dataclass(frozen=True)
class EscrowBalance:
    """Major units. `held` = funded − released − refunded from escrow; refunds after release come from the
    guarantee fund (escrow no longer holds that money), so they are counted in `refunded` and in
    `refunded_after_release` but not subtracted from `held`."""

    currency: str
    funded: Decimal
    released: Decimal
    refunded: Decimal
    refunded_after_release: Decimal
    held: Decimal


@dataclass(frozen=True)
class SlaBreaches:
    deadline: str
    breaches: int
    compensations: int
    compensated: tuple[tuple[str, Decimal], ...]  # (currency, major units)


@dataclass(frozen=True)
class OpenDisputes:
    reason: str
    open: int
    oldest: timedelta
    by_age: tuple[int, ...]  # counts aligned with AGE_BUCKETS


@dataclass(frozen=True)
class ParkedMessages:
    service: str
    queue: str
    messages: int
    last_reason: str


@dataclass(frozen=True)
class HttpFigures:
    service: str
    requests: int
    p50_ms: float | None
    p99_ms: float | None
    server_errors: int
    error_rate: float  # 5xx / requests, 0.0 without requests


@dataclass(frozen=True)
class Snapshot:
    now: datetime
    lines: int
    skipped: int
    funnel: tuple[FunnelStage, ...]
    cancelled: int
    escrow: tuple[EscrowBalance, ...]
    sla: tuple[SlaBreaches, ...]
    disputes: tuple[OpenDisputes, ...]
    parked: tuple[ParkedMessages, ...]
    failed_attempts: int
    http: tuple[HttpFigures, ...]
