"""Server-rendered SVG charts of party development (no script)."""

from __future__ import annotations


def rate_chart(rows: list, *, width: int = 720, bar_h: int = 20, label_w: int = 240) -> dict | None:
    """A horizontal bar per unit: its development rate (%), the value written at the bar's end."""
    rows = [r for r in rows if r.rate is not None][:30]
    if not rows:
        return None
    peak = max(r.rate_percent for r in rows) or 1
    plot = width - label_w - 60
    bars = []
    for i, r in enumerate(rows):
        w = round(plot * r.rate_percent / peak, 1)
        bars.append({"y": 10 + i * (bar_h + 6), "w": max(w, 1), "label": r.name[:38], "value": r.rate_percent,
                     "tx": label_w + max(w, 1) + 6, "tip": f"{r.name}: {r.new}/{r.at_start}"})
    return {"width": width, "height": 20 + len(rows) * (bar_h + 6), "bars": bars, "label_w": label_w,
            "bar_h": bar_h, "text_dy": bar_h - 6}


def years_chart(series: list[tuple[int, int, int]], *, width: int = 520, height: int = 200) -> dict | None:
    """Vertical bars: members admitted per year."""
    if not series or not any(n for _y, n, _s in series):
        return None
    left, top, bottom = 30, 20, 30
    plot_h = height - top - bottom
    slot = (width - left) / len(series)
    peak = max(n for _y, n, _s in series) or 1
    bars = []
    for i, (year, new, start) in enumerate(series):
        h = round(plot_h * new / peak, 1)
        x = round(left + i * slot + slot * 0.2, 1)
        bars.append({"x": x, "w": round(slot * 0.6, 1), "y": round(top + plot_h - h, 1), "h": h, "new": new,
                     "cx": round(x + slot * 0.3, 1), "year": year,
                     "rate": None if not start else round(100 * new / start, 2)})
    return {"width": width, "height": height, "bars": bars, "axis_y": top + plot_h, "label_y": height - 10,
            "left": left}
