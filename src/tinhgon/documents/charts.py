"""Server-rendered SVG bar charts (no script: the Content-Security-Policy forbids inline code)."""

from __future__ import annotations

from tinhgon.core.tables import fmt_number


def bar_chart(rows: list[tuple[str, int]], *, width: int = 720, row: int = 24, label_w: int = 230) -> dict | None:
    """Horizontal bars, one per (label, value), scaled to the largest value."""
    rows = [(label, value) for label, value in rows if value]
    if not rows:
        return None
    peak = max(v for _label, v in rows)
    plot_w = width - label_w - 70
    bars = []
    for i, (label, value) in enumerate(rows):
        w = max(round(plot_w * value / peak, 1), 2)
        bars.append({"y": 8 + i * row, "w": w, "label": label if len(label) <= 34 else label[:33] + "…",
                     "value": fmt_number(value), "tx": label_w + w + 6, "ty": 8 + i * row + row * 0.62})
    return {"width": width, "height": 16 + len(rows) * row, "bars": bars, "label_w": label_w, "bar_h": row - 6,
            "label_x": label_w - 8}
