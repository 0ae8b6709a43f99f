"""Print the detector's precision and recall on the labelled corpus, per category and language."""

from __future__ import annotations

from services.disputes.domain.off_platform_patterns import DEFAULT_RULES

from . import load_corpus, measure, report_lines

corpus = load_corpus()
print("\n".join(report_lines(corpus, measure(corpus, DEFAULT_RULES))))
