"""What the catalog's routes read from the app: the composition root (`app.py`) sets every key."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel

from services.catalog.adapters.exchange_rates import SandboxExchangeRates
from services.catalog.adapters.lists import CatalogLists
from services.catalog.adapters.product_search import ProductSearch
from services.catalog.domain.policy import BadgePolicy, RankingPolicy
from services.catalog.handlers.products import ProductCommands
from services.catalog.handlers.quotes import QuoteCommands
from services.catalog.handlers.reviews import ReviewCommands
from services.catalog.handlers.suppliers import SupplierCommands
from shared.clock import Clock


class SearchLimits(BaseModel):
    default_page_size: int
    max_page_size: int


CLOCK: web.AppKey[Clock] = web.AppKey("catalog_clock")
SUPPLIERS = web.AppKey("supplier_commands", SupplierCommands)
PRODUCTS = web.AppKey("product_commands", ProductCommands)
REVIEWS = web.AppKey("review_commands", ReviewCommands)
QUOTES = web.AppKey("quote_commands", QuoteCommands)
SEARCH = web.AppKey("product_search", ProductSearch)
LISTS = web.AppKey("catalog_lists", CatalogLists)
SEARCH_LIMITS = web.AppKey("search_limits", SearchLimits)
RANKING = web.AppKey("ranking_policy", RankingPolicy)
BADGES = web.AppKey("badge_policy", BadgePolicy)
SANDBOX_RATES = web.AppKey("sandbox_exchange_rates", SandboxExchangeRates)
