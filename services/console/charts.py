"""Charts drawn on the server as SVG: no script, no library, readable without colour alone (labels and
values are written beside each bar)."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

LABEL_WIDTH = 130
BAR_AREA = 240
ROW_HEIGHT = 26
VALUE_GAP = 8


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    shown: str  # the value as people read it ("1234.56 USD", "12")
    tone: str = "primary"  # a CSS class: primary, good, warn, bad, muted


def horizontal_bars(title: str, bars: list[Bar]) -> Markup:
    """One row per bar, longest = the largest value; an all-zero chart still shows its rows."""
    largest = max((bar.value for bar in bars), default=0) or 1
    height = ROW_HEIGHT * len(bars) + 8
    width = LABEL_WIDTH + BAR_AREA + 140
    rows = []
    for index, bar in enumerate(bars):
        y = 4 + index * ROW_HEIGHT
        length = max(round(BAR_AREA * max(bar.value, 0) / largest), 1 if bar.value else 0)
        rows.append(
            f'<text class="chart-label" x="{LABEL_WIDTH - VALUE_GAP}" y="{y + 16}" text-anchor="end">'
            f"{escape(bar.label)}</text>"
            f'<rect class="bar bar-{escape(bar.tone)}" x="{LABEL_WIDTH}" y="{y + 3}" width="{length}" '
            f'height="{ROW_HEIGHT - 8}" rx="3"><title>{escape(bar.label)}: {escape(bar.shown)}</title></rect>'
            f'<text class="chart-value" x="{LABEL_WIDTH + length + VALUE_GAP}" y="{y + 16}">'
            f"{escape(bar.shown)}</text>"
        )
    return _svg(title, width, height, "".join(rows))


def columns(title: str, bars: list[Bar]) -> Markup:
    """Vertical columns over a labelled x axis (counts per day)."""
    largest = max((bar.value for bar in bars), default=0) or 1
    column, gap, plot_height, top = 28, 10, 120, 18
    width = max(len(bars), 1) * (column + gap) + gap
    height = top + plot_height + 34
    parts = [f'<line class="axis" x1="0" y1="{top + plot_height}" x2="{width}" y2="{top + plot_height}"/>']
    for index, bar in enumerate(bars):
        x = gap + index * (column + gap)
        length = round(plot_height * max(bar.value, 0) / largest)
        y = top + plot_height - length
        parts.append(
            f'<rect class="bar bar-{escape(bar.tone)}" x="{x}" y="{y}" width="{column}" '
            f'height="{length}" rx="2">'
            f"<title>{escape(bar.label)}: {escape(bar.shown)}</title></rect>"
            f'<text class="chart-value" x="{x + column / 2}" y="{y - 4}" text-anchor="middle">'
            f"{escape(bar.shown)}</text>"
            f'<text class="chart-label" x="{x + column / 2}" y="{top + plot_height + 16}" '
            f'text-anchor="middle">{escape(bar.label)}</text>'
        )
    return _svg(title, width, height, "".join(parts))


def _svg(title: str, width: int, height: int, body: str) -> Markup:
    return Markup(
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{body}</svg>'
    )
