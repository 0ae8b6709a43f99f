"""Why a buyer sends goods back; Easy Return accepts only the quality reasons configured in policy."""

from __future__ import annotations
