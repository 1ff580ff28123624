"""The explanation of a result in words (the page, the council sheet and the PDF read it)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

LEVEL_SHORT = {
    "excellent": gettext_lazy("Excellent"), "good": gettext_lazy("Good"), "completed": gettext_lazy("Completed"),
    "not_completed": gettext_lazy("Not completed"),
}


def level_label(level: str) -> str:
    return str(LEVEL_SHORT.get(level, level or "—"))


def _assumed(step: dict) -> str:
    if step.get("assumed"):
        return " " + _("[assumed: %(note)s]") % {"note": step.get("source") or "—"}
    if step.get("source"):
        return " " + _("[source: %(source)s]") % {"source": step["source"]}
    return ""


def step_text(step: dict) -> str:
    try:
        return _step_text(step)
    except (KeyError, TypeError, ValueError):  # a step of another shape: its plain data
        return f"{step.get('rule')}: {step.get('inputs')} → {step.get('outcome')}"


def _step_text(step: dict) -> str:
    rule, i, out = step["rule"], step.get("inputs") or {}, step.get("outcome")
    if rule == "tasks_counted":
        text = _("Tasks due in the period %(period_start)s – %(period_end)s: %(products)s (accepted %(accepted)s, on time "
                 "%(on_time)s, exceeded requirements %(exceeded)s; returns %(returns)s, delays %(delays)s; still in "
                 "progress %(in_progress)s, cancelled %(cancelled)s).") % i
    elif rule == "task_points":
        if out is None:
            text = _("No task was due in the period: no task points.")
        else:
            text = _("Task points: quantity %(quantity)s%%, quality %(quality)s%%, timeliness %(timeliness)s%% "
                     "(each return or delay deducts %(deduction)s of that product's points) → %(out)s of "
                     "%(max)s.") % {**i, "out": out, "deduction": _pct(i.get("deduction"))}
    elif rule == "leader_unit":
        if "unit_share" in i:
            text = _("Leader: the unit's operating result %(share)s (weight %(weight)s) → task points "
                     "%(out)s.") % {"share": _pct(i["unit_share"]), "weight": _pct(i["weight"]), "out": out}
        else:
            text = _("Leader: the unit completes %(unit)s%% of its tasks; units under them at least completed "
                     "%(completed)s%%, good or better %(good)s%% → %(out)s.") % {
                "unit": i["unit_completion_pct"], "completed": i["units_completed_pct"], "good": i["units_good_pct"],
                "out": level_label(out)}
    elif rule == "no_tasks" and "reading" in i:
        text = _("No task was due in the period: every share is read as met (100% on time, none exceeded).")
    elif rule == "no_tasks":
        text = _("No task due: the general points %(g)s scaled to 100 → %(out)s.") % {"g": i["general_points"],
                                                                                      "out": out}
    elif rule == "annual_mean":
        text = _("Annual score: the mean of the approved periods → %(out)s (a recount gave %(r)s).") % {
            "out": out, "r": i["recount"]}
    elif rule == "score":
        text = _("Score: general criteria %(g)s + task points %(t)s = %(out)s.") % {
            "g": i["general_points"], "t": i["task_points"] or "—", "out": out}
    elif rule == "band":
        text = _("Band of the score %(score)s as displayed (≥%(excellent)s excellent, ≥%(good)s good, "
                 "≥%(completed)s completed) → %(out)s.") % {**i, "out": level_label(out)}
    elif rule == "criteria":
        text = _("Criteria: tasks done on time and with quality %(on_time)s%%, done %(done)s%%, exceeded "
                 "%(exceeded)s%% → %(out)s.") % {"on_time": i["on_time_pct"], "done": i["done_pct"],
                                                 "exceeded": i["exceeded_pct"], "out": level_label(out)}
    elif rule == "excellent_exceeded":
        text = _("Excellent needs %(req)s%% of tasks exceeding requirements; %(have)s%% → %(out)s.") % {
            "req": i["required"], "have": i["exceeded_pct"], "out": level_label(out)}
    elif rule == "discipline":
        text = _("Disciplined in the period (%(m)s) → %(out)s.") % {
            "m": ", ".join(i.get("measures", [])),
            "out": level_label(out) if out != "no_effect" else _("no effect")}
    elif rule == "cap":
        if out == "good":
            text = _("Cap (excellent ≤ %(ratio)s of good in the body and group): %(c)s candidates, %(g)s good; "
                     "k = %(k)s; rank %(rank)s → moved down to good.") % {
                "ratio": _pct(i["ratio"]), "c": i["candidates"], "g": i["good_before"], "k": i["k"], "rank": i["rank"]}
            if i.get("tie_at_boundary"):
                text += " " + _("Tied at the boundary: those tied move down together.")
        else:
            text = _("Cap (excellent ≤ %(ratio)s of good in the body and group): %(c)s candidates, %(g)s good; "
                     "k = %(k)s; rank %(rank)s → kept excellent.") % {
                "ratio": _pct(i["ratio"]), "c": i["candidates"], "g": i["good_before"], "k": i["k"], "rank": i["rank"]}
        if i.get("override_decision"):
            text += " " + _("Larger share allowed by %(d)s.") % {"d": i["override_decision"]}
    else:
        text = f"{rule}: {out}"
    return text + _assumed(step)


def _pct(value) -> str:
    try:
        return f"{float(value) * 100:g}%"
    except (TypeError, ValueError):
        return str(value)


def lines(explanation: dict) -> list[str]:
    return [step_text(s) for s in (explanation or {}).get("steps", [])]


def basis(explanation: dict) -> str:
    rs = (explanation or {}).get("rule_set") or {}
    return f"{rs.get('name', '')} — {rs.get('legal_basis', '')}" if rs else ""
