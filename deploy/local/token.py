"""Print a development token: `python -m deploy.local.token --sub buyer-1 --role buyer --tier enterprise`.

Keys live in `.local/keys` and are created on first use; the local services trust them through
`jwt_public_keys_file`. Use it as `curl -H "Authorization: Bearer $(make -s token ARGS='...')"`.

Rotate the keys while the services run (they follow their key set file, no restart):
`--rotate` signs with a new key from now on while the old ones stay trusted (tokens already out keep
working); `--retire-old` then trusts the current key only, and tokens of the old ones are refused.
Catalog's quote signing keys rotate the same way: `--keys .local/quote-keys`.
"""

from __future__ import annotations

import argparse
from datetime import timedelta
from pathlib import Path

from shared.security.jwt import BUYER_TIERS, is_known_role
from shared.security.keys import ensure_dev_keys, mint_token, retire_old_dev_keys, rotate_dev_keys
from shared.settings import ServiceSettings


def main(argv: list[str] | None = None) -> None:
    defaults = ServiceSettings()
    parser = argparse.ArgumentParser(
        prog="python -m deploy.local.token",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--sub", help="subject id: the buyer's, supplier's or operator's id")
    parser.add_argument(
        "--role",
        help="buyer, supplier, ops:verification, ops:mediator, ops:finance, ops:platform, service:<n>",
    )
    parser.add_argument("--tier", choices=sorted(BUYER_TIERS), help="buyer tier (buyers only)")
    parser.add_argument("--ttl-minutes", type=int, default=480)
    parser.add_argument("--keys", type=Path, default=defaults.jwt_public_keys_file.parent)
    rotation = parser.add_mutually_exclusive_group()
    rotation.add_argument("--rotate", action="store_true", help="sign with a new key, keep trusting the old")
    rotation.add_argument("--retire-old", action="store_true", help="trust the current signing key only")
    args = parser.parse_args(argv)
    if args.rotate:
        print(f"signing with {rotate_dev_keys(args.keys)}; the old keys stay trusted until --retire-old")
        return
    if args.retire_old:
        print(f"no longer trusted: {', '.join(retire_old_dev_keys(args.keys)) or 'none'}")
        return
    if args.sub is None or args.role is None:
        parser.error("a token needs --sub and --role")
    if not is_known_role(args.role):
        parser.error(f"unknown role {args.role!r}")
    if args.role == "buyer" and args.tier is None:
        parser.error("a buyer token needs --tier")
    keys = ensure_dev_keys(args.keys)
    token = mint_token(
        keys.private_key_path,
        sub=args.sub,
        role=args.role,
        tier=args.tier,
        ttl=timedelta(minutes=args.ttl_minutes),
        audience=defaults.jwt_audience,
        issuer=defaults.jwt_issuer,
    )
    print(token)


if __name__ == "__main__":
    main()
