"""`python -m deploy.ops parked list|show|replay|discard`: work the services' parked messages over HTTP.

    python -m deploy.ops parked list [--service escrow] [--queue tradeguard.escrow.claims]
    python -m deploy.ops parked show ID --service escrow
    python -m deploy.ops parked replay ID --service escrow
    python -m deploy.ops parked replay --queue tradeguard.escrow.claims --service escrow
    python -m deploy.ops parked discard ID --service escrow --reason "Order cancelled by hand"

It calls the local stack (`make up`) as an `ops:platform` operator, with a token signed by the stack's
development keys (`--home`, like `python -m deploy.local.token`); `--url SERVICE=URL` points elsewhere.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

import aiohttp
from rich.console import Console

from deploy.local.client import CallFailed, PlatformClient
from deploy.local.stack import SERVICES
from deploy.ops import parked
from shared.security.keys import ensure_dev_keys

LOCAL_STACK_URLS = {service: f"http://127.0.0.1:{port}" for service, port in SERVICES.items()}


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    try:
        return asyncio.run(_run(args))
    except CallFailed as failure:
        Console(stderr=True).print(f"[red]{failure}[/red]")
        return 1
    except aiohttp.ClientConnectionError as error:
        Console(stderr=True).print(f"[red]cannot reach the service: {error}[/red] (is the stack up?)")
        return 2


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "replay" and (args.id is None) == (args.queue is None):
        parser.error("replay takes either a parked message ID or --queue")
    if args.command != "list" and args.service is None:
        parser.error(f"{args.command} needs --service: parked messages belong to one service")
    args.urls = {**LOCAL_STACK_URLS, **dict(args.urls)}
    return args


async def _run(args: argparse.Namespace) -> int:
    console = Console()
    async with PlatformClient(urls=args.urls, keys=ensure_dev_keys(args.home / "keys")) as client:
        token = client.token(args.operator, "ops:platform")
        if args.command == "list":
            services = [args.service] if args.service else list(SERVICES)
            found = [
                (service, item)
                for service in services
                for item in await parked.listed(client, token, service, queue=args.queue, most=args.most)
            ]
            console.print(parked.listing_table(found))
        elif args.command == "show":
            console.print(parked.message_view(await parked.read(client, token, args.service, args.id)))
        elif args.command == "replay":
            replay = await parked.replay(client, token, args.service, parked_id=args.id, queue=args.queue)
            console.print(f"replayed {replay['replayed']} message(s) to {replay['queue']}")
        else:
            discarded = await parked.discard(client, token, args.service, args.id, args.reason)
            console.print(parked.discard_table(discarded))
    return 0


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--service", choices=sorted(SERVICES), help="the service whose parked messages")
    common.add_argument("--home", type=Path, default=Path(".local"), help="the local stack's home (keys)")
    common.add_argument("--operator", default="ops-cli", help="the operator's id, as the audit records it")
    common.add_argument(
        "--url",
        dest="urls",
        type=_service_url,
        action="append",
        default=[],
        metavar="SERVICE=URL",
        help="a service's base URL (default: the local stack's ports)",
    )
    parser = argparse.ArgumentParser(
        prog="python -m deploy.ops", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    areas = parser.add_subparsers(dest="area", required=True)
    commands = areas.add_parser("parked", help="parked messages").add_subparsers(
        dest="command", required=True
    )
    listing = commands.add_parser("list", parents=[common], help="parked messages with their errors")
    listing.add_argument("--queue", help="only this subscription queue's")
    listing.add_argument("--most", type=_positive, default=100, help="at most this many per service")
    show = commands.add_parser("show", parents=[common], help="one parked message, payload included")
    show.add_argument("id")
    replay = commands.add_parser("replay", parents=[common], help="send one, or a queue's, back")
    replay.add_argument("id", nargs="?")
    replay.add_argument("--queue", help="replay every message parked on this queue")
    discard = commands.add_parser("discard", parents=[common], help="drop one for good (audited)")
    discard.add_argument("id")
    discard.add_argument("--reason", required=True, help="why it may be dropped; kept in the audit")
    return parser


def _service_url(value: str) -> tuple[str, str]:
    service, separator, url = value.partition("=")
    if not separator or service not in SERVICES or not url.startswith(("http://", "https://")):
        raise argparse.ArgumentTypeError(f"expected SERVICE=URL with SERVICE one of {', '.join(SERVICES)}")
    return service, url.rstrip("/")


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number
