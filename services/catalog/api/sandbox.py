"""Sandbox controls of the exchange-rate provider (routed only when SANDBOX=true): publish a rate at a chosen
time, as a market-data provider's test mode would: a journey can hold an old rate and see quotes refused."""

from __future__ import annotations

from decimal import Decimal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shared.clock import UtcDateTime
from shared.http.problems import validation_problem
from shared.http.routes import Api
from shared.money import ExchangeRate

from .deps import SANDBOX_RATES

api = Api("sandbox_rates", requires=(SANDBOX_RATES,))


class PublishRate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # A decimal string, as the rate is written everywhere (JSON numbers would round it through a float).
    usd_per_unit: str = Field(max_length=19, pattern=r"^[0-9]{1,6}(\.[0-9]{1,12})?$", examples=["1.08"])
    as_of: UtcDateTime


@api.put("/sandbox/exchange-rates/{currency}", body=PublishRate, response=ExchangeRate, roles=None)
async def publish_rate(request: web.Request, body: PublishRate) -> ExchangeRate:
    """The sandbox provider's rate of one currency from now on, as of `as_of`."""
    rates = request.app[SANDBOX_RATES]
    currency = request.match_info["currency"]
    try:
        rates.publish(currency, Decimal(body.usd_per_unit), body.as_of)
    except ValidationError as error:  # an unknown currency, a zero rate: the input, not a bug
        raise validation_problem(error) from None
    return await rates.usd_rate(currency)
