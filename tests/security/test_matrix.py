"""The authorization matrix: every page and API operation × every role × own scope,
another province, no scope at all (and anonymous) × every method.

Endpoints are found, not listed (``routes.py``: the URL conf and the OpenAPI
schema).  What each one needs comes from :data:`TABLE` below — one line per page or
API operation, checked against :data:`tinhgon.accounts.roles.ROLE_ACTIONS` — never
from the views.  A new endpoint fails :func:`test_every_endpoint_is_in_the_table`
until it gets its line.

Each request runs in a savepoint rolled back afterwards, against the two provinces of
``world.py``.  A request the table refuses must get the refusal (never a 2xx, never a
400), must write nothing (the change log and the audit events keep their counts), and
no answer ever carries a secret of a province outside the requester's scopes (a cadre's
name or citizen ID, a position title, a quota, …) or, to a role without
``personal_data``, an unmasked citizen ID or birth date.

Run: ``.venv/bin/pytest -q -m matrix -p no:cacheprovider tests/security`` (kept out of
the default run; ``.ci/run`` runs it on SQLite and on PostgreSQL).
"""

from __future__ import annotations

import fnmatch
import itertools
import os
import time
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client

from tinhgon.accounts.roles import ADMINISTRATOR, ALL_ACTIONS, ROLE_ACTIONS, role_allows

from . import routes
from .answers import (
    ALLOW,
    ANYONE,
    BODY,
    LOGIN,
    NO_METHOD,
    SIGN_IN,
    Endpoint,
    answer_text,
    attempt,
    last_job,
    quiet,
    run_started_jobs,
    url_for,
)
from .bodies import BUILDERS
from .report import SUMMARY, Outcome
from .world import NATIONAL

pytestmark = [pytest.mark.matrix, pytest.mark.django_db]

# What a request needs: the actions of accounts.roles, and three more.
VIEW, CHANGE, PERSONAL, PLAN, APPROVE, INSPECT, ADMINISTER = (
    "view", "change", "personal_data", "plan", "approve", "inspect", "administer")
PUBLIC = "public"        # anyone, signed in or not
SELF = "self"            # any signed-in user, on their own account and their own things
SUPERUSER = "superuser"  # the Django admin site: superusers, which no role makes anyone
STARTER = "starter"      # the user who started a job, and nobody else (its file: an export)


@dataclass(frozen=True)
class Rule:
    """What one page or API operation needs.

    ``obj``: the object its path names ("unit", "cadre", "plan_validated", …: a key of a
    province in ``world.py``, or national reference data, or the requester's own saved
    search); None for a collection.  ``denied``: the answer to a role without the
    action.  ``foreign``: the answer when the object lies outside the requester's
    scopes — None when every signed-in user may take the action on it (the structure
    and the plans are public to read).  ``body``: the builder of the request body
    (``bodies.py``).  ``methods``: for pages, the methods the page answers (the others
    get 405).
    """

    action: str
    obj: str | None = None
    denied: int = 403
    foreign: int | None = 404
    body: str | None = None
    methods: tuple[str, ...] = ("get", "post")
    queries: tuple[str, ...] = ()  # pages: further GETs with these query strings (the Excel export)


R = Rule
# A list page that also answers its rows as a workbook: the export is requested too.
EXPORT = {"queries": ("export=xlsx",)}
# Hidden: pages answer 404 to a role without the action, as if the object did not exist.
HIDDEN = {"denied": 404}
POST_ONLY = {"methods": ("post",)}
GET_ONLY = {"methods": ("get",)}
PUBLIC_OBJ = {"foreign": None}  # readable by every signed-in user, wherever it lies

# ONE table: page name (URL conf) or "METHOD /api/path" (OpenAPI) -> what it needs.
TABLE: dict[str, Rule] = {
    # --- pages: accounts, language, the admin site, API docs -------------------------------
    "home": R(VIEW),
    "set_language": R(PUBLIC, body="language"),
    "schema": R(PUBLIC, **GET_ONLY),
    "api_docs": R(PUBLIC, **GET_ONLY),
    "accounts:login": R(PUBLIC),
    "accounts:logout": R(PUBLIC, **POST_ONLY),
    "accounts:me": R(SELF),
    "accounts:me_token": R(SELF, **POST_ONLY),
    "accounts:password_change": R(SELF),
    "accounts:user_list": R(ADMINISTER, **EXPORT),
    "accounts:user_create": R(ADMINISTER),
    "accounts:user": R(ADMINISTER, "user", **HIDDEN),
    "accounts:user_edit": R(ADMINISTER, "user", **HIDDEN),
    "accounts:user_reset_password": R(ADMINISTER, "user", **HIDDEN),
    "accounts:user_deactivate": R(ADMINISTER, "user", **HIDDEN, **POST_ONLY),
    "accounts:user_reactivate": R(ADMINISTER, "user", **HIDDEN, **POST_ONLY),
    "accounts:unit_picker": R(ADMINISTER),
    "accounts:unit_chip": R(ADMINISTER),
    "core:change_list": R(ADMINISTER),
    # Background jobs: seen by their starter and inside their scope; cancelled by the one who
    # started it or an administrator (the world's jobs were started by an administrator).
    "core:job_list": R(VIEW),
    "core:job": R(VIEW, "job"),
    "core:job_progress": R(VIEW, "job"),
    "core:job_errors": R(VIEW, "job_failed"),
    "core:job_cancel": R(ADMINISTER, "job", **POST_ONLY),
    "core:job_output": R(STARTER, "job_export", **GET_ONLY),
    "GET /api/jobs/": R(VIEW),
    "GET /api/jobs/{id}/": R(VIEW, "job"),
    "POST /api/jobs/{id}/cancel/": R(ADMINISTER, "job"),
    "GET /api/jobs/{id}/output/": R(STARTER, "job_export"),
    "admin:*": R(SUPERUSER, denied=LOGIN),
    "admin:login": R(PUBLIC),
    "admin:logout": R(PUBLIC),
    # --- pages: work programs and tasks (a task: seen through its lead, coordinating or accepting
    # unit, changed through its lead unit, accepted or returned through its authority) ----------------
    "tasks:my_work": R(VIEW),
    "tasks:notifications_read": R(SELF, **POST_ONLY),
    "tasks:program_list": R(VIEW, **EXPORT),
    "tasks:program_create": R(CHANGE, body="program_form", **HIDDEN),
    "tasks:program": R(VIEW, "program"),
    "tasks:section_add": R(CHANGE, "program", body="section_title_form", **HIDDEN, **POST_ONLY),
    "tasks:task_create": R(CHANGE, "program", body="task_form", **HIDDEN),
    "tasks:task_list": R(VIEW, **EXPORT),
    "tasks:task": R(VIEW, "task"),
    "tasks:task_edit": R(CHANGE, "task", body="task_form", **HIDDEN),
    "tasks:task_act[issue]": R(CHANGE, "task", **HIDDEN, **POST_ONLY),
    "tasks:task_act": R(CHANGE, "task", body="reason_form", **HIDDEN),
    "tasks:task_decide": R(APPROVE, "task_submitted", body="accept_form", **HIDDEN),
    "tasks:accounting": R(VIEW, **EXPORT),
    "GET /api/programs/": R(VIEW),
    "POST /api/programs/": R(CHANGE, body="program"),
    "GET /api/programs/{id}/": R(VIEW, "program"),
    "PUT /api/programs/{id}/": R(CHANGE, "program", body="program"),
    "PATCH /api/programs/{id}/": R(CHANGE, "program", body="program_patch"),
    "GET /api/tasks/": R(VIEW),
    "POST /api/tasks/": R(CHANGE, body="task"),
    "GET /api/tasks/accounting/": R(VIEW),
    "GET /api/tasks/{id}/": R(VIEW, "task"),
    "PUT /api/tasks/{id}/": R(CHANGE, "task", body="task_patch"),
    "PATCH /api/tasks/{id}/": R(CHANGE, "task", body="task_patch"),
    "GET /api/tasks/{id}/events/": R(VIEW, "task"),
    "POST /api/tasks/{id}/issue/": R(CHANGE, "task"),
    "POST /api/tasks/{id}/report/": R(CHANGE, "task"),
    "POST /api/tasks/{id}/submit/": R(CHANGE, "task"),
    "POST /api/tasks/{id}/extend/": R(CHANGE, "task"),
    "POST /api/tasks/{id}/cancel/": R(CHANGE, "task"),
    "POST /api/tasks/{id}/accept/": R(APPROVE, "task_submitted"),
    "POST /api/tasks/{id}/return/": R(APPROVE, "task_submitted"),
    "POST /api/tasks/{id}/extension-decision/": R(APPROVE, "task_submitted"),
    # --- inspection and supervision (an inspection: conducted through its commission's scope with
    # "inspect", seen there and, once concluded, in the inspected unit's scope; a recommendation
    # reported on in its owner's or the commission's scope) ---------------------------------------------
    "inspection:supervision": R(VIEW, **EXPORT),
    "inspection:plan_list": R(VIEW, **EXPORT),
    "inspection:plan_create": R(INSPECT, body="inspection_plan_form", **HIDDEN),
    "inspection:plan": R(VIEW, "inspection_plan"),
    "inspection:plan_edit": R(INSPECT, "inspection_plan", body="inspection_plan_edit_form", **HIDDEN),
    "inspection:inspection_list": R(VIEW, **EXPORT),
    "inspection:inspection_create": R(INSPECT, body="inspection_form", **HIDDEN),
    "inspection:inspection": R(VIEW, "inspection"),
    "inspection:inspection_act": R(INSPECT, "inspection_open", body="reason_form", **HIDDEN),
    "inspection:recommendation_list": R(VIEW, **EXPORT),
    "inspection:recommendation_report": R(CHANGE, "recommendation", body="recommendation_report_form", **HIDDEN),
    "GET /api/inspection-plans/": R(VIEW),
    "POST /api/inspection-plans/": R(INSPECT, body="inspection_plan"),
    "GET /api/inspection-plans/{id}/": R(VIEW, "inspection_plan"),
    "PUT /api/inspection-plans/{id}/": R(INSPECT, "inspection_plan", body="inspection_plan_patch"),
    "PATCH /api/inspection-plans/{id}/": R(INSPECT, "inspection_plan", body="inspection_plan_patch"),
    "GET /api/inspection/early-warning/": R(VIEW),
    "GET /api/inspections/": R(VIEW),
    "POST /api/inspections/": R(INSPECT, body="inspection"),
    "GET /api/inspections/{id}/": R(VIEW, "inspection"),
    "POST /api/inspections/{id}/start/": R(INSPECT, "inspection_open"),
    "POST /api/inspections/{id}/findings/": R(INSPECT, "inspection_open"),
    "POST /api/inspections/{id}/conclude/": R(INSPECT, "inspection_open"),
    "POST /api/inspections/{id}/cancel/": R(INSPECT, "inspection_open"),
    "POST /api/inspections/{id}/measures/": R(INSPECT, "inspection_open"),
    "POST /api/inspections/{id}/recommendations/": R(INSPECT, "inspection_open"),
    "GET /api/recommendations/": R(VIEW),
    "GET /api/recommendations/{id}/": R(VIEW, "recommendation"),
    "POST /api/recommendations/{id}/report/": R(CHANGE, "recommendation", denied=404),
    # --- party organizations and members (a member: through the scope of their organization) -------
    "party:organization_list": R(VIEW, **EXPORT),
    "party:organization": R(VIEW, "party_cell", **EXPORT),
    "party:member_list": R(VIEW, **EXPORT),
    "party:member_create": R(CHANGE, body="party_member_form", **HIDDEN),
    "party:member": R(VIEW, "party_member"),
    "party:member_act": R(CHANGE, "party_member", body="party_leave_form", **HIDDEN),
    "party:development": R(VIEW, **EXPORT),
    "GET /api/party-members/": R(VIEW),
    "POST /api/party-members/": R(CHANGE, body="party_member"),
    "GET /api/party-members/{id}/": R(VIEW, "party_member"),
    "GET /api/party-members/{id}/memberships/": R(VIEW, "party_member"),
    "POST /api/party-members/{id}/official/": R(CHANGE, "party_member"),
    "POST /api/party-members/{id}/transfer/": R(CHANGE, "party_member"),
    "POST /api/party-members/{id}/leave/": R(CHANGE, "party_member"),
    "GET /api/party/development-rate/": R(VIEW),
    # --- documents registry (a document: seen and changed through its registering body; types: national
    # data written by administrators) and good models (through their unit) ----------------------------
    "documents:document_list": R(VIEW, **EXPORT),
    "documents:document_register": R(CHANGE, body="document_form", **HIDDEN),
    "documents:document_receive": R(CHANGE, body="document_receive_form", **HIDDEN),
    "documents:proposal": R(CHANGE, **HIDDEN, **GET_ONLY),
    "documents:counts": R(VIEW, **EXPORT, **GET_ONLY),
    "documents:type_list": R(VIEW, **EXPORT, **GET_ONLY),
    "documents:type_create": R(ADMINISTER, body="document_type_form", **HIDDEN),
    "documents:type_edit": R(ADMINISTER, "document_type", body="document_type_form", **HIDDEN),
    "documents:document": R(VIEW, "document", **GET_ONLY),
    "documents:document_edit": R(CHANGE, "document", body="document_edit_form", **HIDDEN),
    "documents:document_delete": R(CHANGE, "document", **HIDDEN),
    "documents:document_attachment": R(VIEW, "document", **GET_ONLY),
    "documents:document_status": R(CHANGE, "document", body="document_status_form", **HIDDEN, **POST_ONLY),
    "documents:document_relate": R(CHANGE, "document", **HIDDEN, **POST_ONLY),
    "documents:document_link": R(CHANGE, "document", body="document_link_form", **HIDDEN, **POST_ONLY),
    "GET /api/documents/": R(VIEW),
    "POST /api/documents/": R(CHANGE, body="document"),
    "POST /api/documents/receive/": R(CHANGE, body="document_receive"),
    "GET /api/documents/propose/": R(VIEW),
    "GET /api/documents/counts/": R(VIEW),
    "GET /api/documents/{id}/": R(VIEW, "document"),
    "PATCH /api/documents/{id}/": R(CHANGE, "document", body="document_patch"),
    "DELETE /api/documents/{id}/": R(CHANGE, "document"),
    "POST /api/documents/{id}/link/": R(CHANGE, "document"),
    "POST /api/documents/{id}/relate/": R(CHANGE, "document"),
    "POST /api/documents/{id}/status/": R(CHANGE, "document"),
    "GET /api/document-types/": R(VIEW),
    "POST /api/document-types/": R(ADMINISTER, body="document_type"),
    "GET /api/document-types/{id}/": R(VIEW, "document_type"),
    "PUT /api/document-types/{id}/": R(ADMINISTER, "document_type", body="document_type"),
    "PATCH /api/document-types/{id}/": R(ADMINISTER, "document_type", body="document_type"),
    "emulation:good_model_list": R(VIEW, **EXPORT, **GET_ONLY),
    "emulation:good_model_create": R(CHANGE, body="good_model_form", **HIDDEN),
    "emulation:counts": R(VIEW, **EXPORT, **GET_ONLY),
    "emulation:good_model": R(VIEW, "good_model", **GET_ONLY),
    "emulation:good_model_edit": R(CHANGE, "good_model", body="good_model_form", **HIDDEN),
    "emulation:good_model_delete": R(CHANGE, "good_model", **HIDDEN),
    "emulation:good_model_evidence": R(VIEW, "good_model", **GET_ONLY),
    "GET /api/good-models/": R(VIEW),
    "POST /api/good-models/": R(CHANGE, body="good_model"),
    "GET /api/good-models/counts/": R(VIEW),
    "GET /api/good-models/{id}/": R(VIEW, "good_model"),
    "PUT /api/good-models/{id}/": R(CHANGE, "good_model", body="good_model"),
    "PATCH /api/good-models/{id}/": R(CHANGE, "good_model", body="good_model_patch"),
    "DELETE /api/good-models/{id}/": R(CHANGE, "good_model"),
    # --- pages: assessment (a cycle: seen and changed through its scope unit, approved and reopened by
    # those who approve there; a result: through the person's unit) ------------------------------------
    "assessment:cycle_list": R(VIEW, **EXPORT),
    "assessment:cycle_create": R(CHANGE, body="assessment_cycle_form", **HIDDEN),
    "assessment:cycle": R(VIEW, "cycle", **GET_ONLY),
    "assessment:cycle_compute": R(CHANGE, "cycle", **HIDDEN, **POST_ONLY),
    "assessment:cycle_advance": R(CHANGE, "cycle", **HIDDEN, **POST_ONLY),
    "assessment:cycle_approve": R(APPROVE, "cycle", **HIDDEN, **POST_ONLY),
    "assessment:cycle_reopen": R(APPROVE, "cycle", body="reason_form", **HIDDEN),
    "assessment:cycle_override": R(APPROVE, "cycle", body="assessment_override_form", **HIDDEN),
    "assessment:cycle_sheet": R(VIEW, "cycle", **GET_ONLY),
    "assessment:cycle_units": R(VIEW, "cycle", **GET_ONLY, **EXPORT),
    "assessment:result": R(VIEW, "result", **GET_ONLY),
    "assessment:result_save": R(CHANGE, "result", body="assessment_review_form", **HIDDEN, **POST_ONLY),
    "assessment:top_not_in_pool": R(VIEW, **GET_ONLY, **EXPORT),
    "assessment:not_completed_twice": R(VIEW, **GET_ONLY, **EXPORT),
    "assessment:weak_unit_leaders": R(VIEW, **GET_ONLY, **EXPORT),
    "GET /api/assessment/cycles/": R(VIEW),
    "POST /api/assessment/cycles/": R(CHANGE, body="assessment_cycle"),
    "GET /api/assessment/cycles/{id}/": R(VIEW, "cycle"),
    "PATCH /api/assessment/cycles/{id}/": R(CHANGE, "cycle", body="reason"),
    "POST /api/assessment/cycles/{id}/compute/": R(CHANGE, "cycle"),
    "POST /api/assessment/cycles/{id}/advance/": R(CHANGE, "cycle"),
    "POST /api/assessment/cycles/{id}/approve/": R(APPROVE, "cycle"),
    "POST /api/assessment/cycles/{id}/reopen/": R(APPROVE, "cycle", body="reason"),
    "POST /api/assessment/cycles/{id}/cap-override/": R(APPROVE, "cycle", body="assessment_override"),
    "GET /api/assessment/cycles/{id}/units/": R(VIEW, "cycle"),
    "GET /api/assessment/results/": R(VIEW),
    "GET /api/assessment/results/{id}/": R(VIEW, "result"),
    "POST /api/assessment/results/{id}/review/": R(CHANGE, "result", body="assessment_review"),
    "POST /api/assessment/results/{id}/self-assessment/": R(CHANGE, "result", body="assessment_self"),
    "POST /api/assessment/classify/": R(VIEW, body="assessment_classify"),
    # --- pages: petitions (a matter: seen through its place or handling unit, changed through the
    # handling unit; day swaps and remote areas: national lists, written by administrators) ------
    "petitions:petition_list": R(VIEW, **EXPORT),
    "petitions:petition_create": R(CHANGE, body="petition_form", **HIDDEN),
    "petitions:similar": R(VIEW),
    "petitions:petition": R(VIEW, "petition"),
    "petitions:contact_create": R(CHANGE, "petition", body="contact_form", **HIDDEN),
    "petitions:petition_act": R(CHANGE, "petition", body="reason_form", **HIDDEN),
    # --- pages: placement after restructuring (a round: seen and changed inside its scope, decided
    # by those who approve; a candidate through the unit they wait in, a post through its new unit) ---
    "placement:round_list": R(VIEW, **EXPORT),
    "placement:round_create": R(CHANGE, **HIDDEN, **POST_ONLY),
    "placement:round": R(VIEW, "placement_round", **EXPORT),
    "placement:round_solve": R(CHANGE, "placement_round", **HIDDEN, **POST_ONLY),
    "placement:round_decide": R(APPROVE, "placement_round", **HIDDEN, **POST_ONLY),
    "placement:unit_board": R(VIEW, "placement_unit", **EXPORT),
    "placement:surplus": R(VIEW, "placement_round", **EXPORT),
    "placement:report": R(VIEW, "placement_round", **EXPORT),
    "placement:candidate_act": R(CHANGE, "placement_candidate", body="reason_form", **HIDDEN, **POST_ONLY),
    "placement:slot_count": R(CHANGE, "placement_post", body="reason_form", **HIDDEN, **POST_ONLY),
    "petitions:deadlines": R(VIEW, **EXPORT),
    "petitions:escalate": R(CHANGE, **HIDDEN, **POST_ONLY),
    "petitions:deadline_calculator": R(VIEW, **GET_ONLY),
    "petitions:hotspot_list": R(VIEW, **EXPORT),
    "petitions:hotspot_detect": R(CHANGE, **HIDDEN, **POST_ONLY),
    "petitions:hotspot": R(VIEW, "hotspot"),
    "petitions:hotspot_plan": R(CHANGE, "hotspot", body="reason_form", **HIDDEN),
    "petitions:hotspot_resolve": R(CHANGE, "hotspot", body="reason_form", **HIDDEN),
    "petitions:report": R(VIEW, **EXPORT),
    "petitions:reception_list": R(VIEW, **EXPORT),
    "petitions:reception_create": R(CHANGE, body="petition_session_form", **HIDDEN),
    "petitions:dialogue_list": R(VIEW, **EXPORT),
    "petitions:dialogue_create": R(CHANGE, body="petition_session_form", **HIDDEN),
    "petitions:day_swaps": R(VIEW, **GET_ONLY),
    "petitions:day_swap_create": R(ADMINISTER, body="day_swap_form", **POST_ONLY),
    "petitions:day_swap_delete": R(ADMINISTER, "day_swap", **POST_ONLY),
    "petitions:remote_areas": R(VIEW, **GET_ONLY),
    "petitions:remote_areas_import": R(ADMINISTER, body="remote_areas_file", **POST_ONLY),
    "GET /api/petitions/": R(VIEW),
    "POST /api/petitions/": R(CHANGE, body="petition"),
    "GET /api/petitions/deadline/": R(VIEW),
    "GET /api/petitions/similar/": R(VIEW),
    "POST /api/petitions/similar/": R(VIEW, body="similar"),
    "POST /api/petitions/{id}/officers/": R(CHANGE, "petition", body="petition_officers"),
    "GET /api/reception-sessions/": R(VIEW),
    "POST /api/reception-sessions/": R(CHANGE, body="reception_session"),
    "GET /api/reception-sessions/duty/": R(VIEW),
    "GET /api/reception-sessions/{id}/": R(VIEW, "reception_session"),
    "GET /api/dialogues/": R(VIEW),
    "POST /api/dialogues/": R(CHANGE, body="dialogue"),
    "GET /api/dialogues/{id}/": R(VIEW, "dialogue"),
    "GET /api/petitions/{id}/": R(VIEW, "petition"),
    # --- API: placement after restructuring ---
    "GET /api/placement-rounds/": R(VIEW),
    "POST /api/placement-rounds/": R(CHANGE),
    "GET /api/placement-rounds/{id}/": R(VIEW, "placement_round"),
    "POST /api/placement-rounds/{id}/solve/": R(CHANGE, "placement_round"),
    "POST /api/placement-rounds/{id}/approve/": R(APPROVE, "placement_round"),
    "POST /api/placement-rounds/{id}/reopen/": R(APPROVE, "placement_round"),
    "POST /api/placement-rounds/{id}/apply/": R(APPROVE, "placement_round"),
    "POST /api/placement-rounds/{id}/close/": R(APPROVE, "placement_round"),
    "GET /api/placement-rounds/{id}/surplus/": R(VIEW, "placement_round"),
    "GET /api/placement-rounds/{id}/report/": R(VIEW, "placement_round"),
    "GET /api/placement-units/": R(VIEW),
    "GET /api/placement-units/{id}/": R(VIEW, "placement_unit"),
    "GET /api/placement-posts/": R(VIEW),
    "GET /api/placement-posts/{id}/": R(VIEW, "placement_post"),
    "POST /api/placement-posts/{id}/set-count/": R(CHANGE, "placement_post"),
    "GET /api/placement-candidates/": R(VIEW),
    "GET /api/placement-candidates/{id}/": R(VIEW, "placement_candidate"),
    "POST /api/placement-candidates/{id}/pin/": R(CHANGE, "placement_candidate"),
    "POST /api/placement-candidates/{id}/unpin/": R(CHANGE, "placement_candidate"),
    "POST /api/placement-candidates/{id}/exclude/": R(CHANGE, "placement_candidate"),
    "POST /api/placement-candidates/{id}/include/": R(CHANGE, "placement_candidate"),
    "POST /api/placement-candidates/{id}/swap/": R(CHANGE, "placement_candidate"),
    "POST /api/placement-candidates/{id}/surplus-decision/": R(CHANGE, "placement_candidate"),
    "POST /api/placement-candidates/{id}/pending/": R(CHANGE, "placement_candidate"),
    "GET /api/placement-events/": R(VIEW),
    "GET /api/placement-events/{id}/": R(VIEW, "placement_event"),
    "GET /api/petitions/{id}/events/": R(VIEW, "petition"),
    "GET /api/petitions/{id}/contacts/": R(VIEW, "petition"),
    "POST /api/petitions/{id}/contacts/": R(CHANGE, "petition", body="contact"),
    "POST /api/petitions/{id}/accept/": R(CHANGE, "petition"),
    "POST /api/petitions/{id}/reject/": R(CHANGE, "petition"),
    "POST /api/petitions/{id}/verify/": R(CHANGE, "petition"),
    "POST /api/petitions/{id}/extend/": R(CHANGE, "petition"),
    "POST /api/petitions/{id}/suspend/": R(CHANGE, "petition"),
    "POST /api/petitions/{id}/conclude/": R(CHANGE, "petition"),
    "POST /api/petitions/{id}/close/": R(CHANGE, "petition"),
    "POST /api/petitions/{id}/route/": R(CHANGE, "petition"),
    "GET /api/hotspots/": R(VIEW),
    "GET /api/hotspots/{id}/": R(VIEW, "hotspot"),
    "PATCH /api/hotspots/{id}/": R(CHANGE, "hotspot"),
    "POST /api/hotspots/{id}/resolve/": R(CHANGE, "hotspot"),
    # --- pages: apparatus ---------------------------------------------------------------------
    "apparatus:tree": R(VIEW),
    "apparatus:tree_children": R(VIEW, "root", **PUBLIC_OBJ),
    "apparatus:unit_list": R(VIEW, **EXPORT),
    "apparatus:unit_export": R(VIEW),
    "apparatus:unit": R(VIEW, "unit", **PUBLIC_OBJ),
    "apparatus:unit_tree": R(VIEW, "unit", **PUBLIC_OBJ),
    "apparatus:unit_create": R(CHANGE, body="unit_create_form", **HIDDEN),
    "apparatus:unit_change": R(CHANGE, "unit", body="unit_change_form", **HIDDEN),
    "apparatus:unit_end": R(CHANGE, "unit", body="unit_end_form", **HIDDEN),
    "apparatus:position_create": R(CHANGE, "unit", body="position_form", **HIDDEN),
    "apparatus:quota_set": R(CHANGE, "unit", body="quota_form", **HIDDEN),
    "apparatus:function_holding_create": R(CHANGE, "unit", body="function_holding_form", **HIDDEN),
    "apparatus:power_holding_create": R(CHANGE, "unit", body="power_holding_form", **HIDDEN),
    "apparatus:position_list": R(VIEW, **EXPORT),
    "apparatus:position": R(VIEW, "position"),
    "apparatus:position_edit": R(CHANGE, "position", body="position_form", **HIDDEN),
    "apparatus:position_delete": R(CHANGE, "position", **HIDDEN),
    "apparatus:quota_list": R(VIEW, **EXPORT),
    "apparatus:quota": R(VIEW, "quota"),
    "apparatus:quota_delete": R(CHANGE, "quota", **HIDDEN),
    "apparatus:roadmap": R(VIEW, **EXPORT),
    "apparatus:coverage": R(VIEW, **EXPORT),
    "apparatus:body_kinds": R(VIEW, **EXPORT),
    # Functions and powers are national definitions: "administer" = change records everywhere.
    "apparatus:function_create": R(ADMINISTER, **HIDDEN),
    "apparatus:power_create": R(ADMINISTER, **HIDDEN),
    "apparatus:function_edit": R(ADMINISTER, "function", **HIDDEN),
    "apparatus:function_delete": R(ADMINISTER, "function", **HIDDEN),
    "apparatus:power_edit": R(ADMINISTER, "power", **HIDDEN),
    "apparatus:power_delete": R(ADMINISTER, "power", **HIDDEN),
    "apparatus:import_units": R(CHANGE, body="unit_import"),
    "apparatus:import_template": R(VIEW),
    "apparatus:import_errors": R(CHANGE),
    # --- pages: cadres ------------------------------------------------------------------------
    "cadres:cadre_list": R(VIEW, **EXPORT),
    "cadres:retiring": R(VIEW, **EXPORT),
    "cadres:cadre_create": R(CHANGE, body="cadre_create_form", **HIDDEN),
    # Imports from the pages run as background jobs: the matrix runs the jobs a request queues.
    "cadres:cadre_import": R(CHANGE, body="cadre_import"),
    "cadres:cadre_import_template": R(VIEW),
    "cadres:saved_search_create": R(SELF, body="saved_search_form", **POST_ONLY),
    "cadres:saved_search_delete": R(SELF, "saved_search", **POST_ONLY),
    "cadres:cadre": R(VIEW, "cadre"),
    "cadres:cadre_edit": R(CHANGE, "cadre", **HIDDEN),
    "cadres:cadre_delete": R(CHANGE, "cadre_plain", body="reason_form", **HIDDEN),
    "cadres:photo_upload": R(CHANGE, "cadre", body="photo_form", **HIDDEN, **POST_ONLY),
    "cadres:photo_remove": R(CHANGE, "cadre", **HIDDEN, **POST_ONLY),
    "cadres:cadre_link_user": R(ADMINISTER, "cadre", **HIDDEN, **POST_ONLY),
    "cadres:assignment_end": R(CHANGE, "cadre", body="assignment_end_form", **HIDDEN, **POST_ONLY),
    "cadres:pool_review_add": R(CHANGE, "cadre", body="pool_review_form", **HIDDEN, **POST_ONLY),
    "cadres:section_add": R(CHANGE, "cadre", body="section_form", **HIDDEN, **POST_ONLY),
    # --- pages: restructuring (plans are public to read; writes on another scope's plan: 403) -
    "restructuring:plan_list": R(VIEW, **EXPORT),
    "restructuring:plan_create": R(PLAN, body="plan_form"),
    "restructuring:operations_template": R(VIEW),
    "restructuring:resolve": R(VIEW),
    # --- pages: addresses (public registry data; a file's job and its output are the starter's) --
    "addresses:convert": R(VIEW),
    "addresses:bulk": R(VIEW, body="address_file_form"),
    "restructuring:unit_lineage": R(VIEW, "unit", **PUBLIC_OBJ),
    "restructuring:plan": R(VIEW, "plan_validated", **PUBLIC_OBJ),
    "restructuring:plan_report": R(VIEW, "plan_applied", **PUBLIC_OBJ),
    "restructuring:violations_export": R(VIEW, "plan_validated", **PUBLIC_OBJ),
    "restructuring:operations_import_errors": R(VIEW, "plan", **PUBLIC_OBJ),
    "restructuring:operation_form": R(PLAN, "plan", foreign=403),
    "restructuring:operation_add": R(PLAN, "plan", foreign=403, body="operation_form", **POST_ONLY),
    "restructuring:operation_delete": R(PLAN, "plan", foreign=403, **POST_ONLY),
    "restructuring:operations_import": R(PLAN, "plan", foreign=403, body="operations_file", **POST_ONLY),
    "restructuring:plan_transition[validate]": R(PLAN, "plan", foreign=403, **POST_ONLY),
    "restructuring:plan_transition[approve]": R(APPROVE, "plan_validated", foreign=403, **POST_ONLY),
    "restructuring:plan_transition[apply]": R(APPROVE, "plan_approved", foreign=403, **POST_ONLY),
    "restructuring:plan_transition[revert]": R(ADMINISTER, "plan_applied", foreign=403, **POST_ONLY),
    "restructuring:body_operations": R(VIEW, "plan", **PUBLIC_OBJ, **EXPORT),
    "restructuring:body_operations_action[derive]": R(PLAN, "plan", foreign=403, **POST_ONLY),
    "restructuring:body_operations_action[accept-all]": R(PLAN, "plan", foreign=403, **POST_ONLY),
    "restructuring:body_operations_action[reject-all]": R(PLAN, "plan", foreign=403, **POST_ONLY),
    "restructuring:body_operations_action[include]": R(PLAN, "plan", foreign=403, **POST_ONLY),
    "restructuring:body_operations_action[route]": R(PLAN, "plan", foreign=403, **POST_ONLY),
    "restructuring:body_operation_decide[accept]": R(PLAN, "plan", foreign=403, **POST_ONLY),
    "restructuring:body_operation_decide[reject]": R(PLAN, "plan", foreign=403, **POST_ONLY),
    "restructuring:body_operation_decide[reset]": R(PLAN, "plan", foreign=403, **POST_ONLY),
    "restructuring:body_operation_edit": R(PLAN, "plan", foreign=403, body="body_operation_form"),
    # --- API: accounts -------------------------------------------------------------------------
    "POST /api/auth/token/": R(PUBLIC, body="token"),
    "GET /api/me/": R(SELF),
    "GET /api/users/": R(ADMINISTER),
    "POST /api/users/": R(ADMINISTER, body="user"),
    "GET /api/users/{id}/": R(ADMINISTER, "user", **HIDDEN),
    "PUT /api/users/{id}/": R(ADMINISTER, "user", body="user", **HIDDEN),
    "PATCH /api/users/{id}/": R(ADMINISTER, "user", body="user_patch", **HIDDEN),
    "POST /api/users/{id}/reset-password/": R(ADMINISTER, "user", **HIDDEN),
    # --- API: apparatus ------------------------------------------------------------------------
    "GET /api/units/": R(VIEW),
    "POST /api/units/": R(CHANGE, body="unit_create"),
    "GET /api/units/resolve/": R(VIEW),
    "GET /api/addresses/convert/": R(VIEW),
    "POST /api/addresses/convert/": R(VIEW, body="addresses"),
    "POST /api/addresses/bulk/": R(VIEW, body="address_file"),
    "GET /api/units/{id}/": R(VIEW, "unit", **PUBLIC_OBJ),
    "GET /api/units/{id}/ancestors/": R(VIEW, "unit", **PUBLIC_OBJ),
    "GET /api/units/{id}/children/": R(VIEW, "district", **PUBLIC_OBJ),
    "GET /api/units/{id}/versions/": R(VIEW, "unit", **PUBLIC_OBJ),
    "GET /api/units/{id}/lineage/": R(VIEW, "unit", **PUBLIC_OBJ),
    "POST /api/units/{id}/change/": R(CHANGE, "unit", body="unit_change"),
    "POST /api/units/{id}/end/": R(CHANGE, "unit", body="unit_end"),
    "GET /api/levels/": R(VIEW),
    "POST /api/levels/": R(ADMINISTER, body="level"),
    "GET /api/levels/{id}/": R(VIEW, "level"),
    "GET /api/unit-kinds/": R(VIEW),
    "POST /api/unit-kinds/": R(ADMINISTER, body="unit_kind"),
    "GET /api/unit-kinds/{id}/": R(VIEW, "unit_kind"),
    "GET /api/body-kinds/": R(VIEW),
    "POST /api/body-kinds/": R(ADMINISTER, body="body_kind"),
    "GET /api/body-kinds/{id}/": R(VIEW, "body_kind"),
    "PATCH /api/body-kinds/{id}/": R(ADMINISTER, "body_kind", body="rename"),
    "GET /api/rule-sets/": R(VIEW),
    "POST /api/rule-sets/": R(ADMINISTER),
    "GET /api/rule-sets/{id}/": R(VIEW, "rule_set"),
    "GET /api/functions/": R(VIEW),
    "POST /api/functions/": R(ADMINISTER, body="function"),
    "GET /api/functions/{id}/": R(VIEW, "function"),
    "PUT /api/functions/{id}/": R(ADMINISTER, "function", body="function"),
    "PATCH /api/functions/{id}/": R(ADMINISTER, "function", body="rename"),
    "DELETE /api/functions/{id}/": R(ADMINISTER, "function"),
    "GET /api/powers/": R(VIEW),
    "POST /api/powers/": R(ADMINISTER, body="power"),
    "GET /api/powers/{id}/": R(VIEW, "power"),
    "PUT /api/powers/{id}/": R(ADMINISTER, "power", body="power"),
    "PATCH /api/powers/{id}/": R(ADMINISTER, "power", body="rename"),
    "DELETE /api/powers/{id}/": R(ADMINISTER, "power"),
    "GET /api/function-holdings/": R(VIEW),
    "GET /api/function-holdings/{id}/": R(VIEW, "function_holding", **PUBLIC_OBJ),
    "GET /api/power-holdings/": R(VIEW),
    "GET /api/power-holdings/{id}/": R(VIEW, "power_holding", **PUBLIC_OBJ),
    "GET /api/positions/": R(VIEW),
    "POST /api/positions/": R(CHANGE, body="position"),
    "GET /api/positions/{id}/": R(VIEW, "position"),
    "PUT /api/positions/{id}/": R(CHANGE, "position", body="position"),
    "PATCH /api/positions/{id}/": R(CHANGE, "position", body="position"),
    "DELETE /api/positions/{id}/": R(CHANGE, "position"),
    "GET /api/payroll-quotas/": R(VIEW),
    "POST /api/payroll-quotas/": R(CHANGE, body="quota"),
    "GET /api/payroll-quotas/{id}/": R(VIEW, "quota"),
    "PUT /api/payroll-quotas/{id}/": R(CHANGE, "quota", body="quota"),
    "PATCH /api/payroll-quotas/{id}/": R(CHANGE, "quota", body="quota"),
    "DELETE /api/payroll-quotas/{id}/": R(CHANGE, "quota"),
    "GET /api/terms/": R(VIEW),
    "POST /api/terms/": R(CHANGE, body="term"),
    "GET /api/terms/{id}/": R(VIEW, "term", **PUBLIC_OBJ),
    "DELETE /api/terms/{id}/": R(CHANGE, "term"),
    "GET /api/payroll-roadmap/": R(VIEW),
    "GET /api/coverage/": R(VIEW),
    # --- API: cadres ----------------------------------------------------------------------------
    "GET /api/cadres/": R(VIEW),
    "POST /api/cadres/": R(CHANGE, body="cadre_create"),
    "GET /api/cadres/retiring/": R(VIEW),
    "GET /api/cadres/export/": R(VIEW),
    "POST /api/cadres/export/": R(VIEW),
    "POST /api/cadres/import/": R(CHANGE, body="cadre_import"),
    "GET /api/cadres/import-template/": R(VIEW),
    "GET /api/cadres/{id}/": R(VIEW, "cadre"),
    "PUT /api/cadres/{id}/": R(CHANGE, "cadre", body="cadre_patch"),
    "PATCH /api/cadres/{id}/": R(CHANGE, "cadre", body="cadre_patch"),
    "DELETE /api/cadres/{id}/": R(CHANGE, "cadre_plain", body="reason"),
    "GET /api/cadres/{id}/photo/": R(PERSONAL, "cadre", **HIDDEN),
    "PUT /api/cadres/{id}/photo/": R(CHANGE, "cadre", body="photo"),
    "DELETE /api/cadres/{id}/photo/": R(CHANGE, "cadre"),
    "GET /api/cadres/{id}/assignments/": R(VIEW, "cadre"),
    "POST /api/cadres/{id}/assignments/": R(CHANGE, "cadre", body="assignment"),
    "POST /api/cadres/{id}/assignments/{assignment_id}/end/": R(CHANGE, "cadre", body="assignment_end"),
    "GET /api/cadres/{id}/pool-entries/": R(VIEW, "cadre"),
    "POST /api/cadres/{id}/pool-entries/": R(CHANGE, "cadre", body="pool_entry"),
    "GET /api/cadres/{id}/pool-entries/{entry_id}/reviews/": R(VIEW, "cadre"),
    "POST /api/cadres/{id}/pool-entries/{entry_id}/reviews/": R(CHANGE, "cadre", body="pool_review"),
    "GET /api/cadres/{id}/disciplines/": R(VIEW, "cadre"),
    "POST /api/cadres/{id}/disciplines/": R(CHANGE, "cadre", body="discipline"),
    "GET /api/cadres/{id}/trainings/": R(VIEW, "cadre"),
    "POST /api/cadres/{id}/trainings/": R(CHANGE, "cadre", body="training"),
    "GET /api/cadres/{id}/commendations/": R(VIEW, "cadre"),
    "POST /api/cadres/{id}/commendations/": R(CHANGE, "cadre", body="commendation"),
    "GET /api/saved-searches/": R(SELF),
    "POST /api/saved-searches/": R(SELF, body="saved_search"),
    "GET /api/saved-searches/{id}/": R(SELF, "saved_search"),
    "DELETE /api/saved-searches/{id}/": R(SELF, "saved_search"),
    # --- API: restructuring (plans are public to read; writes on another scope's plan: 403) --
    "GET /api/plans/": R(VIEW),
    "POST /api/plans/": R(PLAN, body="plan"),
    "GET /api/plans/{id}/": R(VIEW, "plan", **PUBLIC_OBJ),
    "PUT /api/plans/{id}/": R(PLAN, "plan", foreign=403, body="plan"),
    "PATCH /api/plans/{id}/": R(PLAN, "plan", foreign=403, body="plan"),
    "GET /api/plans/{id}/operations/": R(VIEW, "plan", **PUBLIC_OBJ),
    "POST /api/plans/{id}/operations/": R(PLAN, "plan", foreign=403, body="operations"),
    "POST /api/plans/{id}/validate/": R(PLAN, "plan", foreign=403),
    "POST /api/plans/{id}/approve/": R(APPROVE, "plan_validated", foreign=403),
    "POST /api/plans/{id}/apply/": R(APPROVE, "plan_approved", foreign=403),
    "POST /api/plans/{id}/revert/": R(ADMINISTER, "plan_applied", foreign=403),
    "GET /api/plans/{id}/report/": R(VIEW, "plan_applied", **PUBLIC_OBJ),
    "GET /api/plans/{id}/focal-points/": R(VIEW, "plan_applied", **PUBLIC_OBJ),
    "GET /api/plans/{id}/body-operations/": R(VIEW, "plan", **PUBLIC_OBJ),
    "POST /api/plans/{id}/body-operations/derive/": R(PLAN, "plan", foreign=403),
    "POST /api/plans/{id}/body-operations/include/": R(PLAN, "plan", foreign=403),
    "POST /api/plans/{id}/body-operations/route/": R(PLAN, "plan", foreign=403),
    "PATCH /api/plans/{id}/body-operations/{body_pk}/": R(PLAN, "plan", foreign=403, body="body_review"),
    "GET /api/successions/": R(VIEW),
    "GET /api/successions/{id}/": R(VIEW, "succession", **PUBLIC_OBJ),
}

SPECIAL_ACTIONS = {PUBLIC, SELF, SUPERUSER, STARTER}


# Endpoints -----------------------------------------------------------------------------------------


def _page_choices(page: routes.Page) -> dict[str, tuple[str, ...]]:
    choices = dict(page.choices)
    if "section" in page.params and "section" not in choices:
        # The values the URL takes (not what it needs: that is the table's).
        from tinhgon.cadres.views.profile import SECTIONS

        choices["section"] = tuple(SECTIONS)
    return choices


def endpoints() -> list[Endpoint]:
    out = [Endpoint(f"{op.method.upper()} {op.path}", op.method, True, op.path) for op in routes.api_operations()]
    for page in routes.pages():
        choices = _page_choices(page)
        names = sorted(choices)
        for combo in itertools.product(*(choices[n] for n in names)) if names else [()]:
            fixed = tuple(zip(names, combo, strict=True))
            key = page.name + "".join(f"[{v}]" for v in combo)
            for method in ("get", "post"):
                out.append(Endpoint(key, method, False, page.name, fixed))
            rule = rule_for(key)
            out.extend(Endpoint(key, "get", False, page.name, fixed, q) for q in (rule.queries if rule else ()))
    return out


def rule_for(key: str) -> Rule | None:
    if key in TABLE:
        return TABLE[key]
    base = key.split("[", 1)[0]
    if base in TABLE:
        return TABLE[base]
    for pattern, rule in TABLE.items():
        if "*" in pattern and fnmatch.fnmatchcase(key, pattern):
            return rule
    return None


def test_every_endpoint_is_in_the_table():
    found = endpoints()
    missing = sorted({e.key for e in found if rule_for(e.key) is None})
    assert not missing, (
        "These endpoints are not in the authorization table of tests/security/test_matrix.py. "
        "Add a line to TABLE for each, saying which action of accounts.roles it needs "
        "(and which object its path names):\n  " + "\n  ".join(missing))
    keys = {e.key for e in found} | {e.key.split("[", 1)[0] for e in found}
    stale = sorted(k for k in TABLE if "*" not in k and k not in keys)
    assert not stale, "TABLE lines that match no endpoint any more (remove them):\n  " + "\n  ".join(stale)
    assert not routes.unnamed_patterns(), (
        f"URL patterns without a name escape the matrix; name them: {routes.unnamed_patterns()}")


def test_the_table_speaks_the_roles_language():
    known = set(ALL_ACTIONS) | SPECIAL_ACTIONS
    wrong = {k: r.action for k, r in TABLE.items() if r.action not in known}
    assert not wrong, f"Actions unknown to accounts.roles.ROLE_ACTIONS: {wrong}"
    assert set(ALL_ACTIONS) == {VIEW, CHANGE, PERSONAL, PLAN, APPROVE, INSPECT, ADMINISTER}
    unknown_bodies = {k: r.body for k, r in TABLE.items() if r.body and r.body not in BUILDERS}
    assert not unknown_bodies, unknown_bodies
    # Every role may at least view; only administrators administer (and they are unrestricted).
    assert all(role_allows(role, VIEW) for role in ROLE_ACTIONS)
    assert [r for r in ROLE_ACTIONS if role_allows(r, ADMINISTER)] == [ADMINISTRATOR]


# Expected answers ----------------------------------------------------------------------------------

def _names_units(rule: Rule, method: str) -> bool:
    return bool(rule.body and method != "get" and BUILDERS[rule.body].names_units)


def expected(rule: Rule, method: str, role: str | None, scope: str, api: bool) -> tuple:
    """The answer the table gives: ALLOW, SIGN_IN or ("refuse", codes)."""
    if not api and method not in rule.methods:
        return SIGN_IN if role is None and rule.action != PUBLIC else NO_METHOD
    if rule.action == PUBLIC:
        return ANYONE
    if role is None:
        return SIGN_IN
    if rule.action == SUPERUSER:
        return ("refuse", frozenset({rule.denied}))
    if rule.action == SELF:
        return ("refuse", frozenset({rule.foreign or 404})) if scope == "foreign" and rule.obj else ALLOW
    if rule.action == STARTER:  # the world's jobs were started by each province's administrator
        return ALLOW if role == ADMINISTRATOR and scope == "own" else ("refuse", frozenset({404}))
    role_ok = role_allows(role, rule.action)
    everywhere = role == ADMINISTRATOR
    reachable = everywhere or scope in ("own", "foreign-target") or rule.obj is None or rule.obj in NATIONAL \
        or rule.foreign is None
    if not reachable:
        return ("refuse", frozenset({rule.foreign} | (set() if role_ok else {rule.denied})))
    if not role_ok:
        return ("refuse", frozenset({rule.denied}))
    if not everywhere and _names_units(rule, method) and (
            scope == "foreign-target" or (rule.obj is None and scope in ("foreign", "none"))):
        return BODY
    return ALLOW


# Running the cases ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def clients(world):
    """A signed-in client for each requester (one session each, made once)."""
    out = {None: Client(raise_request_exception=True)}
    for user in [*world.hn.users.values(), *world.nobody.values()]:
        c = Client(raise_request_exception=True)
        c.force_login(user)
        out[user.pk] = c
    return out


def _scopes(rule: Rule, method: str) -> list[str]:
    if rule.action in (PUBLIC, SUPERUSER):
        return ["own"]  # no scope changes these answers
    provincial = rule.obj is not None and rule.obj not in NATIONAL
    out = ["own"]
    if provincial or (rule.obj is None and _names_units(rule, method)):
        out.append("foreign")
    if provincial and _names_units(rule, method):
        out.append("foreign-target")
    out.append("none")
    return out


def run_matrix(world, clients, api: bool) -> Outcome:
    with quiet():
        return _run_matrix(world, clients, api)


def _run_matrix(world, clients, api: bool) -> Outcome:
    outcome = Outcome()
    started = time.perf_counter()
    # An endpoint missing from the table is reported by test_every_endpoint_is_in_the_table.
    chosen = [e for e in endpoints() if e.api == api and rule_for(e.key) is not None]
    outcome.endpoints = len(chosen)
    for e in chosen:
        rule = rule_for(e.key)
        requesters = [(None, None, "-")]
        for role in ROLE_ACTIONS:
            for scope in _scopes(rule, e.method):
                requesters.append((role, world.nobody[role] if scope == "none" else world.hn.users[role], scope))
        for role, requester, scope in requesters:
            obj_province = world.ct if scope == "foreign" and rule.obj else world.hn
            body_province = world.ct if scope in ("foreign-target",) or (scope == "foreign" and not rule.obj) \
                else world.hn
            url = url_for(world, e, rule, obj_province, requester) + (f"?{e.query}" if e.query else "")
            body = None
            if e.method != "get" and rule.body:
                body = BUILDERS[rule.body].make(world, body_province, dict(e.fixed))
            exp = expected(rule, e.method, role, scope, api)
            client = clients[requester.pk if requester else None]
            outcome.cases += 1
            t0 = time.perf_counter()
            problem, status = attempt(world, client, e, url, body, exp, role, requester, api)
            outcome.log.append((e.key + (f"?{e.query}" if e.query else ""), e.method, role or "anonymous", scope, exp[0], status,
                                round((time.perf_counter() - t0) * 1000, 1), problem or ""))
            if problem:
                who = f"{role or 'anonymous'}/{scope}"
                outcome.failures.append(f"{e.method.upper()} {url} [{e.key}] {who}: {problem}")
    outcome.seconds = time.perf_counter() - started
    return outcome


def _report(name: str, outcome: Outcome) -> None:
    SUMMARY[name] = outcome
    if path := os.environ.get("TINHGON_MATRIX_LOG"):  # every case and its answer, for reading
        with open(f"{path}.{name.lower()}.tsv", "w", encoding="utf-8") as f:
            f.write("endpoint\tmethod\trole\tscope\texpected\tstatus\tms\tproblem\n")
            f.writelines("\t".join(str(x) for x in row) + "\n" for row in outcome.log)
    shown = "\n".join(outcome.failures[:200])
    more = f"\n… and {len(outcome.failures) - 200} more" if len(outcome.failures) > 200 else ""
    assert not outcome.failures, f"{len(outcome.failures)} of {outcome.cases} cases failed:\n{shown}{more}"


def test_api_matrix(world, clients):
    _report("API", run_matrix(world, clients, api=True))


def test_pages_matrix(world, clients):
    _report("pages", run_matrix(world, clients, api=False))


def test_the_leak_check_sees_what_it_looks_for(world, clients):
    """An administrator's answers carry both provinces' secrets, spreadsheets included: the
    check that nobody else gets them looks at text where they would be."""
    admin = clients[world.hn.users[ADMINISTRATOR].pk]

    def text_of(url: str) -> str:  # the page's answer, and the file of the export job it started
        with transaction.atomic():
            newest = last_job()
            text = answer_text(admin.get(url))
            for pk in run_started_jobs(newest):
                text += "\n" + answer_text(admin.get(f"/jobs/{pk}/file/"))
            transaction.set_rollback(True)
        return text

    for url in ("/cadres/?export=xlsx", "/api/cadres/export/?file_format=csv", "/apparatus/quotas/?export=xlsx",
                f"/api/plans/{world.ct['plan_applied'].pk}/report/"):
        assert any(s in text_of(url) for s in world.ct.secrets), url
    text = text_of("/cadres/?export=xlsx")
    assert all(p[name].full_name in text for p in world.provinces.values() for name in ("cadre", "cadre_plain"))
    assert all(s in text for p in world.provinces.values() for s in p.personal[:2])
