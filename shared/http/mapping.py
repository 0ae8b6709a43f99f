"""From an API model to the domain's: request models live in a service's `api/`, the rules in its domain.

An input model mirrors the fields of the domain value it becomes; rules only the domain knows (one date
after another, a bound) are checked when the value is built, and answered like pydantic's own: a 422
naming the offending field (same names, so the same paths as if the domain model had parsed the body).
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from shared.http.problems import validation_problem

D = TypeVar("D", bound=BaseModel)


def to_domain(model: type[D], source: BaseModel, /, **fields: Any) -> D:
    """`model` built from the fields of `source` (overridden or completed by `fields`)."""
    try:
        return model.model_validate({**dict(source), **fields})
    except ValidationError as error:
        raise validation_problem(error) from None
