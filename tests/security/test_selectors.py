"""Reads and successor handlers, called with another province's objects.

Every public function of every app's ``selectors.py`` is found by importing the installed
apps.  A function that takes a ``user`` is called for users scoped to Hà Nội (each role)
with Cần Thơ's unit, plan, cadre or subtree, and for users without any scope with Hà
Nội's: nothing of the other province may come back (its cadres' names and citizen IDs,
its quotas, position titles, …).  The same call for an administrator must return some
of it — otherwise the check proves nothing and the world lacks data.  A function that
takes no user must be listed in :data:`UNSCOPED` with the reason it may read without
one, so that a new selector that aggregates without a user fails here.

Successor handlers (``core.successors``) run when a plan is applied and take no user:
the plan services must refuse, before any handler runs, a Hà Nội user's plan that ends
a Cần Thơ unit, and validation must not hand the user what the handlers would say about
it.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q, QuerySet

from tinhgon.accounts.roles import ADMINISTRATOR, ROLE_ACTIONS

from .report import SELECTORS
from .world import DAY, QUOTA_YEAR

pytestmark = [pytest.mark.matrix, pytest.mark.django_db]

PUBLIC_STRUCTURE = "the structure (units, their names, codes, levels, successions) is public to signed-in users"
HOLDS_RECORD = ("reads one record the caller already holds (looked up through restrict) and only that "
                "record's own rows")

# Selectors that take no user, and why that is safe.  A new one that reads records of a
# scope (or counts them) takes ``user`` and goes through core.scoping.restrict instead.
UNSCOPED: dict[str, str] = {
    "tinhgon.apparatus.selectors.units_as_of": PUBLIC_STRUCTURE,
    "tinhgon.apparatus.selectors.unit_tree_as_of": PUBLIC_STRUCTURE,
    "tinhgon.apparatus.selectors.unit_search": PUBLIC_STRUCTURE,
    "tinhgon.apparatus.selectors.unit_children": PUBLIC_STRUCTURE,
    "tinhgon.apparatus.selectors.unit_ancestors": PUBLIC_STRUCTURE,
    "tinhgon.apparatus.selectors.unit_versions": PUBLIC_STRUCTURE,
    "tinhgon.apparatus.selectors.unit_version_on": PUBLIC_STRUCTURE,
    "tinhgon.apparatus.selectors.unit_for_code": PUBLIC_STRUCTURE + " (a queryset narrows it to a scope)",
    "tinhgon.apparatus.selectors.level_counts_as_of": PUBLIC_STRUCTURE + ": counts of units per level",
    "tinhgon.apparatus.selectors.descendant_counts": PUBLIC_STRUCTURE + ": counts of units below units",
    "tinhgon.apparatus.selectors.function_overlaps": "functions, powers and the units holding them are public",
    "tinhgon.apparatus.selectors.coverage_gaps": "functions, powers and the units holding them are public",
    "tinhgon.apparatus.selectors.search_q": "builds a filter; reads nothing",
    "tinhgon.apparatus.selectors.term_on": "the terms of a unit's body are public (Term: view is public)",
    "tinhgon.apparatus.selectors.terms_of": "the terms of a unit's body are public (Term: view is public)",
    "tinhgon.cadres.selectors.retirement_rule": "a rule set: national statutory parameters, public",
    "tinhgon.cadres.selectors.cadre_retirement": HOLDS_RECORD,
    "tinhgon.cadres.selectors.cadre_eligibility": HOLDS_RECORD,
    "tinhgon.cadres.selectors.active_disciplines": HOLDS_RECORD,
    "tinhgon.cadres.selectors.current_assignments": HOLDS_RECORD,
    "tinhgon.cadres.selectors.hometown": HOLDS_RECORD + " (the hometown is a unit: public)",
    "tinhgon.cadres.selectors.unit_label": PUBLIC_STRUCTURE,
    "tinhgon.cadres.selectors.unit_head": (
        "a routing rule for the system (who a unit's work goes to); it returns a person of any unit, "
        "so a page or answer may show the result only after restrict(); none shows it yet"),
    "tinhgon.cadres.selectors.direct_superior": (
        "a routing rule for the system (who a cadre answers to), read from a record the caller holds; "
        "the superior may lie above the caller's scope, so show the result only after restrict()"),
    "tinhgon.restructuring.selectors.unit_lineage": PUBLIC_STRUCTURE,
    "tinhgon.restructuring.selectors.resolve_address": PUBLIC_STRUCTURE,
    "tinhgon.addresses.selectors.convert_address": PUBLIC_STRUCTURE,
    "tinhgon.addresses.selectors.convert_many": PUBLIC_STRUCTURE,
    "tinhgon.restructuring.selectors.unit_now": PUBLIC_STRUCTURE,
    "tinhgon.petitions.selectors.gatherings": (
        "the system's hot-spot detection under the path roots it is given; a user reaches it only through "
        "services.hotspots_detect, which passes the user's scopes"),
    "tinhgon.petitions.selectors.hotspot_candidates": (
        "the system's hot-spot detection under the path roots it is given (see gatherings)"),
    "tinhgon.petitions.selectors.open_deadlines": "recomputes deadlines of the matters it is given; returns a count",
    "tinhgon.petitions.selectors.report": "counts the queryset it is given, which the caller restricts",
    "tinhgon.petitions.selectors.totals": "sums the rows it is given; reads nothing",
    "tinhgon.restructuring.selectors.unit_predecessors": PUBLIC_STRUCTURE,
    "tinhgon.restructuring.selectors.predecessors_q": "builds a filter from the public successions; reads no record",
    "tinhgon.restructuring.selectors.ancestors_label": "formats names it is given; reads nothing",
    "tinhgon.tasks.selectors.unit_q": "builds a filter from a unit and its public predecessors; reads no record",
    "tinhgon.tasks.selectors.accounting": "counts the tasks it is given, which the caller takes from tasks_for(user)",
    "tinhgon.tasks.selectors.counted_tasks": "narrows the tasks it is given (from tasks_for(user)) to a period",
    "tinhgon.tasks.selectors.per_unit_below": "counts the tasks it is given (from tasks_for(user)) per unit",
    "tinhgon.tasks.selectors.trend": "counts the tasks it is given (from tasks_for(user)) per period",
    "tinhgon.tasks.selectors.clears_health": "counts the tasks it is given (from tasks_for(user))",
    "tinhgon.tasks.selectors.label_rows": "names the rows an accounting of the caller's tasks counted",
    "tinhgon.documents.selectors.document_search": "narrows the documents it is given (from documents_for(user))",
    "tinhgon.documents.selectors.counts_by_type": "counts the documents it is given (from documents_for(user))",
    "tinhgon.documents.selectors.paginator": "pages the documents it is given (from documents_for(user))",
    "tinhgon.documents.selectors.page_of": "pages the documents it is given (from documents_for(user))",
    "tinhgon.documents.selectors.counts_by_year": "counts the documents it is given (from documents_for(user))",
    "tinhgon.documents.selectors.documents_counts": "counts the documents it is given (from documents_for(user))",
    "tinhgon.documents.selectors.within_q": "builds a filter from a unit and its public predecessors; reads no record",
    "tinhgon.emulation.selectors.good_model_search": "narrows the good models it is given (from good_models_for(user))",
    "tinhgon.emulation.selectors.counts_by_field": "counts the good models it is given (from good_models_for(user))",
    "tinhgon.emulation.selectors.counts_by_year": "counts the good models it is given (from good_models_for(user))",
    "tinhgon.emulation.selectors.counts_by_unit": "counts the good models it is given (from good_models_for(user)) "
                                                  "under the public structure's units",
    "tinhgon.placement.selectors.merit_params": "the merit rule set in force for a round the caller holds "
                                                "(rule sets are public reference data)",
    "tinhgon.placement.selectors.policy_params": "the policy rule set in force for a round the caller holds "
                                                 "(rule sets are public reference data)",
    "tinhgon.placement.selectors.candidate_facts": HOLDS_RECORD,
    "tinhgon.placement.selectors.post_facts": "reads nothing: the merit inputs of a post the caller holds",
    "tinhgon.placement.selectors.ineligible_text": "reads nothing: the words for eligibility codes",
    "tinhgon.placement.selectors.unit_board": HOLDS_RECORD,
    "tinhgon.placement.selectors.surplus_rows": HOLDS_RECORD,
    "tinhgon.placement.selectors.surplus_candidates": HOLDS_RECORD + " (the pages restrict them once more)",
    "tinhgon.placement.selectors.round_progress": HOLDS_RECORD,
    "tinhgon.placement.selectors.round_report": HOLDS_RECORD,
    "tinhgon.inspection.selectors.year_counts": (
        "counts the inspections and recommendations it is given, which the caller takes from "
        "inspections_for(user) and recommendations_for(user)"),
    "tinhgon.party.selectors.organizations_under": PUBLIC_STRUCTURE + " (party organizations are units)",
    "tinhgon.party.selectors.counts_by_path": (
        "counts memberships under the path prefixes it is given, which callers take from scope_prefixes(user); "
        "returns counts per organization path, never names"),
    "tinhgon.party.selectors.development_rate": (
        "the counts of counts_by_path under the prefixes it is given (from scope_prefixes(user)), rolled up "
        "and named with the public unit names"),
    "tinhgon.party.selectors.admissions_by_year": (
        "sums counts_by_path per year under the prefixes it is given (from scope_prefixes(user))"),
    "tinhgon.assessment.selectors.latest_results": (
        "reads the latest approved assessment level of cadres the caller already holds in scope (their ids "
        "come from a restricted read, e.g. placement's candidates); it returns levels and scores, never names"),
}


def _cadre_query(w, p):
    from tinhgon.cadres.selectors import CadreQuery

    return CadreQuery(within=p["root"].path)


# What to pass for a parameter, from the province the call is about.
ARGUMENTS = {
    "unit": lambda w, p: p["unit"],
    "cadre": lambda w, p: p["cadre"],
    "plan": lambda w, p: p["plan_applied"],
    "root_path": lambda w, p: p["root"].path,
    "query": _cadre_query,
    "code": lambda w, p: p["unit"].code,
    "date": lambda w, p: DAY,
    "text": lambda w, p: p["petition"].title,
    "year": lambda w, p: DAY.year,
    "month": lambda w, p: DAY.month,
    "baseline_year": lambda w, p: QUOTA_YEAR,
    "today": lambda w, p: DAY,
    "member": lambda w, p: p["party_member"],
}
# Functions with a user but nothing that names a province: they answer about the user.
ABOUT_THE_USER = {
    "tinhgon.cadres.selectors.may_see_personal_data": "whether the user's role unmasks personal data",
    "tinhgon.cadres.selectors.cadre_of": "the cadre record linked to the user's own account",
    "tinhgon.tasks.selectors.my_work": "the tasks the user is assigned, leads or accepts",
    "tinhgon.party.selectors.scope_prefixes": "the path prefixes of the user's own scopes (narrowed to a unit)",
}


def selector_functions() -> dict[str, object]:
    found = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("tinhgon."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.selectors")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.selectors":
                raise
            continue
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and fn.__module__ == module.__name__:
                found[f"{module.__name__}.{name}"] = fn
    return found


def _text(value, given=(), depth: int = 0) -> str:
    """Everything a result holds, as text (records by their fields; the records it was given
    and hands back as they are, e.g. a report's plan, are not what it returned)."""
    if depth > 6:
        return ""
    if isinstance(value, QuerySet):
        value = list(value[:500])
    if isinstance(value, models.Model):
        if any(value is g for g in given):
            return ""
        return str(value) + " " + " ".join(str(getattr(value, f.attname, "")) for f in value._meta.concrete_fields)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return " ".join(_text(getattr(value, f.name), given, depth + 1) for f in dataclasses.fields(value))
    if isinstance(value, dict):
        return " ".join(f"{_text(k, given, depth + 1)} {_text(v, given, depth + 1)}" for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return " ".join(_text(v, given, depth + 1) for v in value)
    if isinstance(value, Q):
        return ""
    return str(value)


def _call(fn, world, province, user):
    kwargs = {}
    for name, param in inspect.signature(fn).parameters.items():
        if name == "user":
            kwargs[name] = user
        elif name in ARGUMENTS and (param.default is inspect.Parameter.empty or name in ("root_path",)):
            kwargs[name] = ARGUMENTS[name](world, province)
        elif param.default is inspect.Parameter.empty:
            raise LookupError(name)
    with transaction.atomic():
        try:
            return _text(fn(**kwargs), given=[v for v in kwargs.values() if isinstance(v, models.Model)])
        finally:
            transaction.set_rollback(True)


def test_every_selector_is_scoped_or_says_why_not():
    found = selector_functions()
    assert found, "no selectors found: the discovery is broken"
    unexplained = sorted(name for name, fn in found.items()
                         if "user" not in inspect.signature(fn).parameters and name not in UNSCOPED)
    assert not unexplained, (
        "These selectors take no user. A read of records inside scopes (or a count of them) takes a "
        "`user` and goes through core.scoping.restrict; a read of public data is listed in UNSCOPED "
        "(tests/security/test_selectors.py) with the reason:\n  " + "\n  ".join(unexplained))
    stale = sorted(set(UNSCOPED) - set(found))
    assert not stale, "UNSCOPED lists functions that no longer exist: " + ", ".join(stale)
    scoped = sorted(name for name in UNSCOPED if "user" in inspect.signature(found[name]).parameters)
    assert not scoped, f"These take a user now; remove them from UNSCOPED: {scoped}"


def test_selectors_with_a_user_return_nothing_of_another_province(world):
    failures, checked = [], 0
    for name, fn in sorted(selector_functions().items()):
        if "user" not in inspect.signature(fn).parameters:
            continue
        about_user = name in ABOUT_THE_USER
        try:
            admin = _call(fn, world, world.ct, world.hn.users[ADMINISTRATOR])
        except LookupError as exc:
            failures.append(f"{name}: no argument for its parameter `{exc.args[0]}`; add one to ARGUMENTS")
            continue
        if not about_user and not any(s in admin for s in world.ct.secrets):
            failures.append(f"{name}: even an administrator gets nothing private of Cần Thơ from it, so the "
                            "check proves nothing; give world.py data it reads, or list it in ABOUT_THE_USER")
        for role in ROLE_ACTIONS:
            if role == ADMINISTRATOR:
                continue
            for user, province, secrets in (
                (world.hn.users[role], world.ct, world.ct.secrets),
                (world.nobody[role], world.hn, world.hn.secrets + world.ct.secrets),
            ):
                checked += 1
                text = _call(fn, world, province, user)
                leaked = [s for s in secrets if s in text]
                if leaked:
                    failures.append(f"{name} for {user.username} on {province.code}: returned {leaked[:3]}")
    found = selector_functions()
    SELECTORS.update(found=len(found), unscoped=len(UNSCOPED), calls=checked, failures=len(failures),
                     with_user=sum(1 for fn in found.values() if "user" in inspect.signature(fn).parameters))
    assert checked, "no selector takes a user"
    assert not failures, "\n".join(failures)


# Successor handlers ----------------------------------------------------------------------------


def _ending(world, unit):
    from tinhgon.core.successors import Ending

    return Ending(unit_id=unit.pk, code=unit.code, name=unit.name, path=unit.path, successors=(),
                  continues=False)


def test_successor_handlers_are_out_of_reach_of_another_scope(world):
    """Each handler says something about a Cần Thơ commune that ends; a Hà Nội user's plan
    ending it is refused before any handler applies, and its validation repeats none of it."""
    from tinhgon.accounts.tests.factories import make_user
    from tinhgon.core import successors
    from tinhgon.core.models import ObjectChange
    from tinhgon.restructuring import services
    from tinhgon.restructuring.models import Operation, Plan

    foreign = world.ct["unit"]
    make_user("ct-commune-only", role="clerk", scopes=[foreign])  # a user whose only scope ends with it
    handlers = successors.handlers()
    SELECTORS["handlers"] = len(handlers)
    assert handlers, "no successor handler registered"
    said = {h.name: h.validate(date=DAY, endings=[_ending(world, foreign)]) for h in handlers}
    silent = sorted(name for name, found in said.items() if not found)
    assert not silent, f"handlers with nothing to say about an ending commune with people in it: {silent}"

    organizer, leader = world.hn.users["organizer"], world.hn.users["leader"]
    plan = services.plan_create(name="Giải thể đơn vị ngoài phạm vi", effective_date=DAY,
                                scope_path=world.hn["root"].path, user=organizer)
    with pytest.raises((PermissionDenied, ValidationError)):
        services.operations_add(plan=plan, operations=[("dissolve", {"code": foreign.code})], user=organizer)
    assert not plan.operations.exists()

    # Written behind the services' back (an import of old data, a bug): validating,
    # approving and applying it as Hà Nội users still reaches none of Cần Thơ.
    Operation.objects.create(plan=plan, seq=1, kind="dissolve", data={"code": foreign.code})
    with transaction.atomic():
        try:
            found = services.plan_validate(plan=plan, user=organizer)
        except (PermissionDenied, ValidationError):
            found = []
        handler_codes = {f.code for fs in said.values() for f in fs}
        repeated = [f for f in found if f["code"] in handler_codes]
        assert not repeated, f"validation handed a Hà Nội organizer what handlers say of {foreign.code}: {repeated}"
        transaction.set_rollback(True)

    Plan.objects.filter(pk=plan.pk).update(status=Plan.APPROVED)
    plan.refresh_from_db()
    applied = []
    spies = []
    for h in handlers:
        original = h.apply

        def spy(*, date, endings, _h=h, _original=original):
            applied.append(_h.name)
            return _original(date=date, endings=endings)

        spies.append((h, original))
        h.apply = spy
    try:
        before = ObjectChange.objects.count()
        with pytest.raises((PermissionDenied, ValidationError)):
            services.plan_apply(plan=plan, user=leader)
        assert applied == [], f"handlers ran for a plan ending {foreign.code}, applied by a Hà Nội leader: {applied}"
        assert ObjectChange.objects.count() == before
        foreign.refresh_from_db()
        assert foreign.valid_to is None
    finally:
        for h, original in spies:
            h.apply = original

