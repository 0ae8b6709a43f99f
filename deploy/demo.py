"""Seed a realistic marketplace on the running local stack and walk one buyer through a whole order.

Usage (with `make up` running in another terminal):

    python -m deploy.demo [--home .local] [--suppliers 8] [--products 40]

Seeds suppliers of every badge (plain, Gold, Verified, Verified Pro), products with quantity tiers in a few
categories (Trade Assurance where the supplier is enrolled, some Guaranteed) and a Guaranteed route, with a
progress bar; then runs search → quote → order → pay → dispatch → deliver → confirm → review
and prints the order's timeline across the services. Every run uses fresh ids, so it can run again.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from deploy import journey
from deploy.local.client import PlatformClient
from deploy.local.processes import wait_until
from deploy.local.stack import SERVICES
from shared.security.keys import ensure_dev_keys

BADGES = ("plain", "gold", "verified", "verified_pro")
COUNTRIES = ("CN", "VN", "IN", "TR")
ROUTE_ID = "demo-cn-us-express"
JOURNEY_QUANTITY = 200

# (category, parent category, product noun, base unit price in USD cents)
CATEGORIES = (
    ("drinkware", "kitchen", "stainless steel bottle 750 ml", 450),
    ("cookware", "kitchen", "cast iron skillet 26 cm", 1_250),
    ("led-lighting", "electronics", "LED panel light 40 W", 980),
    ("t-shirts", "apparel", "organic cotton t-shirt", 320),
    ("backpacks", "bags", "waterproof laptop backpack", 1_450),
)
COMPANY_WORDS = ("Ningbo", "Shenzhen", "Hanoi", "Pune", "Izmir", "Yiwu", "Xiamen", "Bursa")


# How long the demo waits for an asynchronous step (an event crossing services) before giving up.
WAIT_SECONDS = 30.0


@dataclass
class Seeded:
    suppliers: dict[str, str] = field(default_factory=dict)  # supplier id → badge
    products: list[str] = field(default_factory=list)


def _money(amount: int) -> dict[str, Any]:
    return {"amount": amount, "currency": "USD"}


async def _platform_now(client: PlatformClient) -> datetime:
    """Catalog's (sandbox) clock, so recorded facts are current even after the test clock moved."""
    clock = await client.call("catalog", "GET", "/sandbox/clock")
    return datetime.fromisoformat(str(clock["now"])).astimezone(UTC).replace(microsecond=0)


def _badge_facts(badge: str, run: str, index: int, now: datetime) -> list[tuple[str, str, dict[str, Any]]]:
    """The verification facts (method, path suffix, body) that earn a badge."""
    audit = {
        "agency": "SGS" if index % 2 else "Intertek",
        "scopes": ["online", "on_site"],
        "supplier_type": "custom_manufacturer",
        "report_ref": f"AUD-{run}-{index}",
        "audited_at": (now - timedelta(days=30)).isoformat(),
        "expires_at": (now + timedelta(days=335)).isoformat(),
        "advanced_manufacturing_attested": badge == "verified_pro",
    }
    if badge == "gold":
        return [
            (
                "POST",
                "credential-checks",
                {
                    "agency": "Dun & Bradstreet",
                    "reference": f"DNB-{run}-{index}",
                    "checked_at": now.isoformat(),
                },
            ),
            (
                "POST",
                "gold-memberships",
                {
                    "starts_at": (now - timedelta(days=1)).isoformat(),
                    "ends_at": (now + timedelta(days=365)).isoformat(),
                },
            ),
        ]
    if badge == "verified":
        return [("POST", "audits", audit)]
    if badge == "verified_pro":
        number = f"ISO9001-{run}-{index}"
        certification = {
            "kind": "certification",
            "name": "ISO 9001:2015",
            "number": number,
            "issuer": "TÜV Rheinland",
            "valid_from": (now - timedelta(days=400)).isoformat(),
            "valid_until": (now + timedelta(days=700)).isoformat(),
        }
        case = {
            "client": "Nordic Home AB",
            "summary": "Private-label drinkware line, 40 000 units a year since 2021.",
            "evidence_url": "https://example.com/cases/nordic-home",
            "documented_at": (now - timedelta(days=90)).isoformat(),
        }
        performance = {
            "export_percentile": 92,
            "experience_since": (now - timedelta(days=365 * 9)).isoformat(),
        }
        return [
            ("POST", "audits", audit),
            ("PUT", "export-performance", performance),
            ("POST", "certifications", certification),
            ("PUT", f"certifications/{number}/status", {"status": "verified"}),
            ("POST", "client-cases", case),
        ]
    return []


def _product_terms(run: str, index: int, badge: str, keyword: str | None = None) -> dict[str, Any]:
    category, parent, noun, base = CATEGORIES[index % len(CATEGORIES)]
    assured = badge != "plain"
    terms: dict[str, Any] = {
        "title": f"{noun.capitalize()} {keyword or f'demo{run}n{index}'}",
        "category_id": category,
        "parent_category_id": parent,
        "attributes": {"material": "mixed", "origin": "factory direct"},
        "moq": 100,
        "order_multiple": 10,
        "currency": "USD",
        "trade_assurance": assured,
        "tiers": [
            {"min_qty": 100, "max_qty": 499, "unit_price": _money(base)},
            {"min_qty": 500, "max_qty": 1_999, "unit_price": _money(base * 90 // 100)},
            {"min_qty": 2_000, "unit_price": _money(base * 80 // 100)},
        ],
    }
    if assured and keyword is None and index % 3 == 0:
        terms["guaranteed"] = {"dispatch_within": "P3D"}
    return terms


async def seed(client: PlatformClient, console: Console, run: str, suppliers: int, products: int) -> Seeded:
    """Suppliers of every badge, their products and a Guaranteed route, with a progress bar."""
    ops = client.token(f"officer-{run}", "ops:verification")
    now = await _platform_now(client)
    seeded = Seeded()
    steps: list[tuple[str, Callable[[], Awaitable[Any]]]] = []

    route = {
        "origin_country": "CN",
        "destination_country": "US",
        "carrier_service": "ups-worldwide-expedited",
        "transit_days": 7,
        "destination_timezone": "America/New_York",
        "price_per_unit": _money(35),
    }
    steps.append(
        (
            "opening route",
            lambda: client.call("logistics", "PUT", f"/v1/routes/{ROUTE_ID}", token=ops, json=route),
        )
    )

    ids = [f"sup-{run}-{i}" for i in range(max(suppliers, 1))]
    for index, supplier_id in enumerate(ids):
        badge = BADGES[index % len(BADGES)]
        seeded.suppliers[supplier_id] = badge
        token = client.token(supplier_id, "supplier")
        city = COMPANY_WORDS[index % len(COMPANY_WORDS)]
        profile = {
            "legal_name": f"{city} {badge.replace('_', ' ').title()} Co. {run}-{index}",
            "country": "CN" if index % 2 == 0 else COUNTRIES[index % len(COUNTRIES)],
            "year_established": 2000 + index % 20,
            "main_markets": ["EU", "US"],
            "staff_count": 50 + 30 * index,
            "factory_size_m2": 2_000 + 500 * index,
        }

        def register(token: str = token, profile: dict[str, Any] = profile) -> Awaitable[Any]:
            return client.call("catalog", "POST", "/v1/suppliers", token=token, json=profile)

        steps.append(("seeding suppliers", register))
        for method, suffix, body in _badge_facts(badge, run, index, now):

            def fact(
                path: str = f"/v1/suppliers/{supplier_id}/{suffix}", method: str = method, body: Any = body
            ) -> Awaitable[Any]:
                return client.call("catalog", method, path, token=ops, json=body)

            steps.append((f"verifying ({badge})", fact))
        if badge != "plain":

            def enrol(path: str = f"/v1/suppliers/{supplier_id}/trade-assurance") -> Awaitable[Any]:
                return client.call("catalog", "PUT", path, token=ops, json={"enrolled": True})

            steps.append(("trade assurance", enrol))

    for index in range(products):
        supplier_id = ids[index % len(ids)]
        terms = _product_terms(run, index, seeded.suppliers[supplier_id])
        token = client.token(supplier_id, "supplier")

        async def list_product(token: str = token, terms: dict[str, Any] = terms) -> None:
            created = await client.call("catalog", "POST", "/v1/products", token=token, json=terms)
            seeded.products.append(str(created["id"]))

        steps.append(("seeding products", list_product))

    with Progress(
        TextColumn("{task.description:<20}"), BarColumn(), MofNCompleteColumn(), console=console
    ) as progress:
        task = progress.add_task("seeding", total=len(steps))
        for label, action in steps:
            progress.update(task, description=label)
            await action()
            progress.advance(task)
    return seeded


async def buyer_journey(client: PlatformClient, console: Console, run: str, supplier_id: str) -> str:
    """search → quote → order → pay → dispatch → deliver → confirm → review; returns the order id."""
    driver = journey.Direct(client, patience=WAIT_SECONDS)
    supplier = client.token(supplier_id, "supplier")
    buyer = client.token(f"buyer-{run}", "buyer", "standard")
    finance = client.token(f"fin-{run}", "ops:finance")
    keyword = f"journey{run}"
    say = console.print

    terms = _product_terms(run, 0, "verified_pro", keyword)
    product_id = str((await client.call("catalog", "POST", "/v1/products", token=supplier, json=terms))["id"])
    say(f"buyer-{run} searches for {keyword!r}")
    await journey.find_product(driver, buyer, keyword, product_id)
    quote, order_id = await journey.buy(driver, buyer, product_id, quantity=JOURNEY_QUANTITY)
    total = quote["total"]
    say(f"quote for {JOURNEY_QUANTITY} units: {total['amount'] / 100:.2f} {total['currency']}")
    say(f"order {order_id} placed and paid")
    await journey.order_reaches(driver, finance, order_id, "funded")
    shipment_id = await journey.shipment_opened(driver, buyer, order_id)
    say(f"supplier dispatches shipment {shipment_id}")
    await journey.dispatch(driver, supplier, shipment_id)
    await journey.order_reaches(driver, finance, order_id, "shipped")
    await journey.carrier_delivers(driver, shipment_id)
    await journey.order_reaches(driver, finance, order_id, "delivered")
    say("carrier reports delivery; buyer confirms receipt")
    await journey.confirm_receipt(driver, buyer, order_id)
    await journey.order_reaches(driver, finance, order_id, "completed")
    await journey.review(driver, buyer, order_id, "product", product_id)
    await journey.review(driver, buyer, order_id, "store", supplier_id)
    say("buyer reviews the product and the store (5 stars)")
    return order_id


async def timeline(client: PlatformClient, order_id: str, run: str) -> list[dict[str, Any]]:
    """The order's timeline once escrow, logistics and catalog have all reported their final events."""
    buyer = client.token(f"buyer-{run}", "buyer", "standard")
    entries: list[dict[str, Any]] = []
    wanted = {"escrow.funds_released", "logistics.shipment_delivered", "catalog.review_published"}

    async def complete() -> bool:
        entries[:] = await journey.timeline_of(journey.Direct(client), buyer, order_id)
        names = [f"{entry['service']}.{entry['event']}" for entry in entries]
        return wanted <= set(names) and names.count("catalog.review_published") >= 2  # product and store

    await wait_until(complete, WAIT_SECONDS, "the timeline to show every service")
    return entries


def timeline_table(order_id: str, entries: Sequence[dict[str, Any]]) -> Table:
    table = Table("time", "service", "event", "actor", title=f"Timeline of order {order_id}", box=box.SIMPLE)
    for entry in entries:
        table.add_row(
            datetime.fromisoformat(str(entry["time"])).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3],
            str(entry["service"]),
            str(entry["event"]),
            str(entry.get("actor") or "-"),
        )
    return table


async def _confirmed_badges(client: PlatformClient, seeded: Seeded, run: str) -> list[str]:
    """The highest badge catalog computes for each seeded supplier (Verified Pro > Verified > Gold)."""
    visitor = client.token(f"buyer-{run}", "buyer", "standard")
    found = []
    for supplier_id in seeded.suppliers:
        badges = (await client.call("catalog", "GET", f"/v1/suppliers/{supplier_id}", token=visitor))[
            "badges"
        ]
        order = (("verified_pro", "verified_pro"), ("verified", "verified"), ("gold", "gold"))
        found.append(next((name for key, name in order if badges.get(key)), "plain"))
    return found


async def run_demo(client: PlatformClient, console: Console, suppliers: int = 8, products: int = 40) -> str:
    """Seed the marketplace, run the buyer journey, print its timeline; returns the order id."""
    run = uuid.uuid4().hex[:8]
    out = console.file
    out.write(f"Tradeguard demo run {run}: {suppliers} suppliers, {products} products\n")
    seeded = await seed(client, console, run, suppliers, products)
    by_badge = {badge: sum(1 for b in seeded.suppliers.values() if b == badge) for badge in BADGES}
    out.write(
        "seeded: "
        + ", ".join(f"{count} {badge.replace('_', ' ')}" for badge, count in by_badge.items())
        + f" suppliers; {len(seeded.products)} products; route {ROUTE_ID}\n\n"
    )
    confirmed = await _confirmed_badges(client, seeded, run)
    out.write(
        "badges confirmed by catalog: "
        + ", ".join(f"{badge.replace('_', ' ')} {confirmed.count(badge)}" for badge in BADGES)
        + "\n"
    )
    mismatched = [s for (s, b), got in zip(seeded.suppliers.items(), confirmed, strict=True) if b != got]
    if mismatched:
        out.write(f"warning: catalog shows other badges than seeded for {', '.join(mismatched)}\n")
    pro = next(s for s, b in seeded.suppliers.items() if b == "verified_pro") if suppliers >= 4 else None
    journey_supplier = pro or next(iter(seeded.suppliers))
    if pro is None:
        # Too few suppliers for a Verified Pro one: enrol the first in Trade Assurance for the journey.
        ops = client.token(f"officer-{run}", "ops:verification")
        path = f"/v1/suppliers/{journey_supplier}/trade-assurance"
        await client.call("catalog", "PUT", path, token=ops, json={"enrolled": True})
    order_id = await buyer_journey(client, console, run, journey_supplier)
    console.print(timeline_table(order_id, await timeline(client, order_id, run)))
    return order_id


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m deploy.demo", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument(
        "--home", type=Path, default=Path(".local"), help="the stack's home (dev keys in HOME/keys)"
    )
    parser.add_argument("--host", default="127.0.0.1", help="where the local stack listens")
    parser.add_argument("--suppliers", type=int, default=8, help="suppliers to seed (4+ gives every badge)")
    parser.add_argument("--products", type=int, default=40, help="products to seed")
    return parser.parse_args(argv)


async def _main(args: argparse.Namespace) -> str:
    async with PlatformClient(
        urls={service: f"http://{args.host}:{port}" for service, port in SERVICES.items()},
        keys=ensure_dev_keys(args.home / "keys"),
    ) as client:
        return await run_demo(client, Console(), suppliers=args.suppliers, products=args.products)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    try:
        asyncio.run(_main(args))
    except OSError as error:
        print(f"\ncannot reach the local stack ({error}); start it with `make up`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
