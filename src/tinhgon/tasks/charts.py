"""Geometry of the server-rendered SVG charts (no script: the Content-Security-Policy forbids inline code)."""

from __future__ import annotations

import datetime as dt

from tinhgon.core.tables import fmt_date

from . import rules


def trend_chart(trend: list, *, width: int = 640, height: int = 220) -> dict:
    """Stacked bars per period (on time, late, overdue, in progress) and the completion rate above."""
    left, top, bottom = 36, 24, 34
    plot_h = height - top - bottom
    n = max(len(trend), 1)
    slot = (width - left) / n
    bar_w = min(56, slot * 0.6)
    peak = max([c.assigned - c.cancelled for _p, c in trend] + [1])
    bars = []
    for i, (p, c) in enumerate(trend):
        x = left + i * slot + (slot - bar_w) / 2
        y = top + plot_h
        parts = []
        for cls in (rules.ON_TIME, rules.LATE, rules.OVERDUE, rules.IN_PROGRESS):
            v = getattr(c, cls)
            h = plot_h * v / peak
            y -= h
            parts.append({"cls": cls.replace("_", "-"), "y": round(y, 1), "h": round(h, 1), "v": v})
        rate = c.completion_rate
        bars.append({"x": round(x, 1), "w": round(bar_w, 1), "cx": round(x + bar_w / 2, 1), "label": p.key,
                     "parts": parts, "rate": None if rate is None else round(rate * 100),
                     "rate_y": round(y - 6, 1), "assigned": c.assigned})
    return {"width": width, "height": height, "bars": bars, "axis_y": top + plot_h, "label_y": height - 12,
            "left": left, "peak": peak}


def timeline_chart(tasks: list, today: dt.date, *, width: int = 900, row: int = 22) -> dict | None:
    """A bar per task from its start to its deadline in force, a mark for today (the program's timeline)."""
    dated = [t for t in tasks if t.start and (t.due or t.deadline)]
    if not dated:
        return None
    first = min(t.start for t in dated)
    last = max(max((t.due or t.deadline) for t in dated), today if first <= today else first)
    span = max((last - first).days, 1)
    label_w, pad = 260, 10
    plot_w = width - label_w - pad

    def x(day: dt.date) -> float:
        return round(label_w + plot_w * (day - first).days / span, 1)

    rows = []
    for i, t in enumerate(dated):
        end = t.due or t.deadline
        cls = ("accepted" if t.status == "accepted" else "cancelled" if t.status == "cancelled"
               else "overdue" if t.is_overdue(today) else "draft" if t.status == "draft" else "open")
        rows.append({"y": 24 + i * row, "x": x(t.start), "w": max(x(end) - x(t.start), 2), "cls": cls,
                     "title": t.title[:48] + ("…" if len(t.title) > 48 else ""), "depth": getattr(t, "depth", 0) * 10,
                     "pk": t.pk, "tip": f"{t.title}: {fmt_date(t.start)} – {fmt_date(end)}"})
    height = 24 + len(dated) * row + 10
    today_x = x(today) if first <= today <= last else None
    return {"width": width, "height": height, "rows": rows, "today_x": today_x, "first": fmt_date(first),
            "last": fmt_date(last), "label_w": label_w, "end_x": width - pad}
