"""Keyword tokens: the same function tokenises listings and queries, so matching is exact on tokens.

SecantusDB has no `$text` index, so search matches a tokenised `keywords` array through a multikey
index; this works on any MongoDB-wire server.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+")
MAX_QUERY_TOKENS = 8


def tokens(text: str) -> list[str]:
    """Lower-cased, accent-free words, with a light plural folding ("bolts" → "bolt"); order kept."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    words = (_singular(word) for word in _WORD.findall(plain))
    return list(dict.fromkeys(word for word in words if word))


def keywords(*texts: str) -> list[str]:
    """The distinct tokens of every text of a listing."""
    return list(dict.fromkeys(token for text in texts for token in tokens(text)))


def query_tokens(text: str) -> list[str]:
    """The tokens a query must all match; longest first, since the index scans from the first one
    and longer words tend to be rarer."""
    return sorted(tokens(text), key=lambda token: (-len(token), token))[:MAX_QUERY_TOKENS]


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def share_matched(query: list[str], field_tokens: list[str]) -> float:
    """How much of the query a field's tokens cover, 0..1: the text-relevance part of the score.

    The search adapter computes the same share inside the database to sort by it.
    """
    asked = set(query)
    return len(asked & set(field_tokens)) / len(asked) if asked else 0.0
