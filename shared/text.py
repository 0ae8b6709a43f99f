"""Text a client may send: bounded, and free of characters that hide or disguise what a reader sees.

Control characters (NUL included: MongoDB refuses it in keys) and the bidirectional overrides and isolates
(U+202A-U+202E, U+2066-U+2069, the "Trojan Source" characters that display text in another order than it is
stored) are refused; tab, line feed and carriage return stay allowed for multi-line messages. The rule is a
`pattern`, so it is published in OpenAPI with each field. Every string of a request model is `PlainText` with
a `max_length` (or a narrower type: an enum, a pattern, a date); tests/unit/test_request_bounds.py holds it.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

_REFUSED = r"\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u202A-\u202E\u2066-\u2069"

PlainText = Annotated[str, StringConstraints(pattern=f"^[^{_REFUSED}]*$")]

# Attribute names become keys of stored documents: no `$` first (an operator to MongoDB) and no `.` (a path).
AttributeKey = Annotated[
    str,
    StringConstraints(min_length=1, max_length=64, pattern=rf"^[^{_REFUSED}$.][^{_REFUSED}.]*$"),
    Field(description="An attribute name: no control characters, no `.`, not starting with `$`."),
]

# An id a client names (an order, a product, a claim): ours are far shorter; 200 leaves room for any scheme.
Identifier = Annotated[PlainText, StringConstraints(min_length=1, max_length=200)]
# The value of an attribute or a specification (`material: bamboo`).
AttributeValue = Annotated[PlainText, Field(max_length=1_000)]
