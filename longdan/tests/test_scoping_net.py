"""The scoping net: no page, API endpoint or export shows a reporter another unit's names or words.

Every route of the URL configuration is walked. Each has a verdict in ``VERDICTS`` (a new route
without one fails ``test_every_route_has_a_scoping_verdict``), and the routes that take an object
get one inside the reader's scope and one outside it from the demo ward. For a few readers of
different shapes (a chi bộ, a đảng bộ with units below it, a collaborator) each response, HTML,
JSON, CSV, the XML inside an XLSX/DOCX or the text of a PDF, is searched for:

- the names of units outside the reader's scope (their ancestors and the office excepted: a
  reporter knows what they belong to and whom they report to);
- the words of those units: report sections and opinion-stream summaries, opinion items, meeting
  titles, collaborators' names, survey titles. Words that also belong to the reader's own units,
  or that public pages show anyone, are not evidence and are left out.

An object outside the scope must be "not found" (404), never shown.
"""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from consultations.models import (
    Comment,
    CommentGroup,
    ConsultationLink,
    Draft,
    Policy,
    Provision,
)
from evaluation.models import Incident
from flash.models import FlashRequest
from intake.models import ErasureRequest, ImportBatch, Meeting, OpinionItem
from issues.models import Answer, BurstAlert, Issue, MergeProposal
from issues.selectors import issues_visible_to
from longdan.tests.scoping_world import build_world, readers
from monitoring.models import Mention, Misinformation, Source, Story
from orgs.models import Area, Collaborator, OrgUnit, User
from orgs.selectors import visible_unit_ids
from petitions.models import Round
from petitions.services import RESIDENT_MEETINGS
from picture.direction_selectors import directions_visible_to
from picture.models import Brief, Direction, DirectionAssignment
from plans.models import DisseminationSession, Inspection, Plan, PlanFile, PlanTask
from plans.selectors import tasks_visible_to
from reporting.models import ConsolidatedReport, OpinionStream, Period, ReportTemplate, UnitReport
from surveys.models import FormVersion, Question, Survey

PREFIX = 24  # characters of a text that, found in a response, show the text was shown
ADMIN_PREFIX = "quan-tri/"


# --- verdicts -----------------------------------------------------------------------------------

PUBLIC = "public"  # no login: shows published matter only
SCOPED = "scoped"  # shows the reader's scope
OFFICE = "office"  # the office's (or leaders') only: a reporter is refused or redirected
WRITE = "write"  # a write (POST only, or a form with nothing of another unit)
TOKEN = "token"  # reached with a secret (anonymous survey link, ODK credentials)
STATIC = "static"  # no unit data by construction (schema, docs, logout)
REFERENCE = "reference"  # the ward's map and calendar, shared by every account (areas, periods)

OFFICE_STATUSES = {302, 403, 404, 405}


@dataclass(frozen=True)
class Verdict:
    kind: str
    objects: str = ""  # key of OBJECTS: which objects fill the route's arguments
    query: str = ""  # a query string the route needs to answer at all


V = Verdict
VERDICTS: dict[str, Verdict] = {
    # reporting
    "home": V(SCOPED), "report_list": V(SCOPED), "report_export": V(SCOPED),
    "report_start": V(WRITE), "report_detail": V(SCOPED, "report"),
    "report_edit": V(SCOPED, "report"), "report_submit": V(WRITE, "report"),
    "report_proposals": V(SCOPED, "report"),
    "report_return": V(WRITE, "report"), "compliance": V(SCOPED),
    "flash_list": V(SCOPED), "flash_create": V(OFFICE), "flash_detail": V(SCOPED, "flash"),
    "flash_export": V(SCOPED, "flash"),
    "approval_waiting": V(SCOPED), "report_approve": V(WRITE, "report"),
    "report_accept": V(WRITE, "report"), "report_unlock": V(WRITE, "report"),
    "compliance_export": V(SCOPED), "notifications": V(SCOPED), "template_list": V(OFFICE),
    "office_inbox": V(OFFICE), "office_inbox_remind": V(OFFICE, "unit"),
    "template_edit": V(OFFICE, "template"), "template_create": V(OFFICE),
    "consolidated_list": V(SCOPED),
    "consolidated_generate": V(WRITE), "consolidated_detail": V(SCOPED, "consolidated"),
    "consolidated_docx": V(SCOPED, "consolidated"), "consolidated_xlsx": V(SCOPED, "consolidated"),
    "consolidated_pdf": V(SCOPED, "consolidated"),
    "stream_issues": V(WRITE, "stream"), "issue_streams": V(SCOPED, "issue"),
    # orgs and core
    "unit_list": V(SCOPED), "unit_export": V(SCOPED), "unit_search": V(SCOPED),
    "unit_create": V(OFFICE),
    "unit_detail": V(SCOPED, "unit"), "unit_edit": V(OFFICE, "unit"),
    "unit_reports": V(SCOPED, "unit"),
    "area_list": V(SCOPED), "area_create": V(OFFICE), "area_edit": V(OFFICE, "area"),
    "collaborator_list": V(SCOPED), "collaborator_export": V(SCOPED),
    "collaborator_create": V(OFFICE), "collaborator_edit": V(SCOPED, "collaborator"),
    "audit_log": V(OFFICE), "audit_export": V(OFFICE), "system_health": V(OFFICE),
    # counts and ages only, no unit data (longdan/tests/test_backup_ops.py); 503 when unhealthy
    "health": V(STATIC),
    # intake
    "item_list": V(SCOPED), "item_export": V(SCOPED), "item_quick": V(SCOPED),
    "item_suggest": V(SCOPED, query="text=r%C3%A1c+th%E1%BA%A3i+ng%E1%BA%ADp+ph%E1%BB%91"),
    "item_detail": V(SCOPED, "item"), "item_edit": V(SCOPED, "item"),
    "import_upload": V(SCOPED), "import_map": V(SCOPED, "import"),
    "import_result": V(SCOPED, "import"), "meeting_list": V(SCOPED),
    "meeting_create": V(SCOPED), "meeting_detail": V(SCOPED, "meeting"),
    "public_feedback": V(PUBLIC), "model_status": V(OFFICE),
    # residents' erasure requests (issue 10): the office's list and its completion
    "erasure_requests": V(OFFICE), "erasure_request_complete": V(WRITE, "erasure_request"),
    # issues
    "issue_list": V(SCOPED), "issue_export": V(SCOPED), "issue_overdue": V(SCOPED),
    "issue_detail": V(SCOPED, "issue"), "issue_status": V(WRITE, "issue"),
    "issue_assign": V(WRITE, "issue"), "issue_merge": V(WRITE, "issue"),
    "issue_rename": V(WRITE, "issue"),
    "issue_split": V(WRITE, "issue"), "alert_list": V(SCOPED), "alert_ack": V(WRITE, "alert"),
    "merge_proposals": V(OFFICE), "merge_proposal_accept": V(WRITE, "merge_proposal"),
    "merge_proposal_dismiss": V(WRITE, "merge_proposal"),
    "answer_create": V(OFFICE), "public_answers": V(PUBLIC), "public_answer": V(PUBLIC, "answer"),
    "public_track": V(PUBLIC),
    # a resident asks, with their tracking code, for their contact details to be erased (POST)
    "public_erasure_request": V(WRITE),
    # search
    "search": V(SCOPED, query="q=r%C3%A1c"),
    # monitoring (the press about the ward: the office's desk)
    "monitoring_list": V(OFFICE), "monitoring_paste": V(OFFICE),
    "monitoring_import": V(OFFICE), "monitoring_import_preview": V(OFFICE),
    "monitoring_export": V(OFFICE), "monitoring_mention": V(OFFICE, "mention"),
    "monitoring_stories": V(OFFICE), "monitoring_story": V(OFFICE, "story"),
    "monitoring_sources": V(OFFICE), "monitoring_source_edit": V(OFFICE, "source"),
    "monitoring_source_toggle": V(WRITE, "source"), "monitoring_findings": V(OFFICE),
    "monitoring_finding_new": V(OFFICE), "monitoring_finding": V(OFFICE, "finding"),
    "monitoring_finding_withdraw": V(WRITE, "finding"),
    "monitoring_watch": V(OFFICE),
    # surveys
    "survey_list": V(SCOPED), "survey_create": V(OFFICE), "xlsform_check": V(OFFICE),
    "survey_detail": V(SCOPED, "survey"), "survey_edit": V(OFFICE, "survey"),
    "survey_upload": V(OFFICE, "survey"), "form_version_download": V(SCOPED, "form_version"),
    "form_version_xml": V(SCOPED, "form_version"), "survey_status": V(WRITE, "survey"),
    "survey_question_concept": V(WRITE, "question"), "survey_collect": V(SCOPED, "survey"),
    "survey_collect_form": V(SCOPED, "survey"), "survey_web_submit": V(WRITE, "survey"),
    "survey_tokens": V(OFFICE, "survey"), "survey_quotas": V(SCOPED, "survey"),
    "survey_import": V(OFFICE, "survey"), "public_survey": V(TOKEN, "token"),
    "public_survey_form": V(TOKEN, "token"), "survey_odk_form_list": V(TOKEN),
    "survey_odk_submission": V(TOKEN), "survey_odk_form_xml": V(TOKEN, "odk_form"),
    "survey_odk_manifest": V(TOKEN, "odk_form"), "survey_odk_credentials": V(SCOPED),
    "survey_results": V(SCOPED, "survey"), "survey_crosstab": V(SCOPED, "survey"),
    "survey_consensus": V(SCOPED, "survey"), "survey_open_answers": V(SCOPED, "survey"),
    "survey_weights": V(SCOPED, "survey"), "survey_export": V(SCOPED, "survey_export"),
    "survey_report_docx": V(SCOPED, "survey"), "survey_report_pdf": V(SCOPED, "survey"),
    "survey_public_results": V(PUBLIC, "survey"),
    "question_bank": V(SCOPED), "question_series": V(SCOPED),
    # picture: half a year of the demo, so every panel and the drill-downs hold rows
    "picture:picture": V(SCOPED, query="period=6m"),
    "picture:picture_export": V(SCOPED, query="period=6m"),
    "picture:drill": V(SCOPED, query="period=6m"),
    "picture:drill_export": V(SCOPED, query="period=6m"),
    "picture:gap_task": V(WRITE), "picture:latent_decide": V(WRITE, "latent_candidate"),
    # API
    "api-schema": V(STATIC), "api-docs": V(STATIC), "api-token": V(WRITE),
    "api-not-found": V(STATIC),
    "api-compliance": V(SCOPED), "api-suggest": V(SCOPED, query="text=r%C3%A1c+th%E1%BA%A3i"),
    "api-search": V(SCOPED, query="q=r%C3%A1c"), "api-survey-weigh": V(WRITE),
    "api-picture": V(SCOPED, query="period=2025"),
    "api-survey-estimate": V(WRITE), "api-survey-results": V(SCOPED, "survey"),
    "api-unit-list": V(SCOPED), "api-unit-detail": V(SCOPED, "unit"),
    "api-area-list": V(SCOPED), "api-area-detail": V(REFERENCE, "area"),
    "api-collaborator-list": V(SCOPED), "api-collaborator-detail": V(SCOPED, "collaborator"),
    "api-period-list": V(SCOPED), "api-period-detail": V(SCOPED, "period"),
    "api-template-list": V(SCOPED), "api-template-detail": V(SCOPED, "template"),
    "api-report-list": V(SCOPED), "api-report-detail": V(SCOPED, "report"),
    "api-report-return": V(WRITE, "report"), "api-report-submit": V(WRITE, "report"),
    "api-report-versions": V(SCOPED, "report"), "api-audit-list": V(OFFICE),
    "api-item-list": V(SCOPED), "api-item-detail": V(SCOPED, "item"),
    "api-issue-list": V(SCOPED), "api-issue-detail": V(SCOPED, "issue"),
    "api-issue-assign": V(WRITE, "issue"), "api-issue-status": V(WRITE, "issue"),
    "api-answer-list": V(SCOPED), "api-answer-detail": V(SCOPED, "answer"),
    "api-survey-list": V(SCOPED), "api-survey-check": V(WRITE),
    "api-survey-detail": V(SCOPED, "survey"), "api-survey-questions": V(SCOPED, "survey"),
    "api-survey-status": V(WRITE, "survey"), "api-survey-versions": V(SCOPED, "survey"),
    "api-survey-xlsform": V(SCOPED, "survey_version"),
    # picture
    "picture:area_boundaries": V(OFFICE), "picture:area_shapes": V(SCOPED),
    # picture: directions, the unit's directions and accountability
    "picture:direction_list": V(SCOPED), "picture:direction_export": V(SCOPED),
    "picture:direction_create": V(OFFICE), "picture:direction_detail": V(SCOPED, "direction"),
    "picture:direction_ack": V(WRITE, "direction"),
    "picture:direction_progress": V(WRITE, "direction"),
    "picture:direction_status": V(WRITE, "direction"),
    "picture:unit_directions": V(SCOPED, "unit"),
    "picture:unit_accountability": V(SCOPED, "unit"),
    "picture:unit_accountability_export": V(SCOPED, "unit"),
    "api-direction-list": V(SCOPED), "api-direction-detail": V(SCOPED, "direction"),
    # accounts
    "login": V(PUBLIC), "logout": V(STATIC), "login_lockouts": V(OFFICE),
    "password_change": V(WRITE), "api_tokens": V(SCOPED), "api_token_revoke": V(WRITE),
    "user_password_reset": V(OFFICE), "user_otp_reset": V(OFFICE),
    # two-factor sign-in (core.twofactor): one's own account only, no unit data
    "otp_verify": V(STATIC), "otp_setup": V(WRITE), "otp_manage": V(STATIC),
    "otp_recovery_codes": V(WRITE), "otp_disable": V(WRITE),
    # picture: alerts and subscriptions (the office and leaders; one's own rows only)
    "picture:follow": V(OFFICE), "picture:unfollow": V(WRITE),
    # picture: the weekly brief is the whole ward's (leaders and the office; a unit: not found)
    "picture:brief_list": V(OFFICE), "picture:brief_new": V(OFFICE),
    "picture:brief_detail": V(OFFICE, "brief"), "picture:brief_docx": V(OFFICE, "brief"),
    # evaluation: the table, its export and the criteria are the office's and the leaders' (a
    # unit is sent to its own card); a card is its unit's only, any other is not found
    "evaluation:board": V(OFFICE), "evaluation:board_export": V(OFFICE),
    "evaluation:criteria_list": V(OFFICE), "evaluation:criteria_new": V(OFFICE),
    "evaluation:card": V(SCOPED, "unit", query="ky=2026"),
    "evaluation:card_comment": V(WRITE, "unit"), "evaluation:card_enter": V(WRITE, "unit"),
    "evaluation:finalise": V(WRITE),
    # incidents (R8): a unit reads its own unit's (not its subtree's, as its card); recording,
    # concluding and the candidates are the office's
    "evaluation:incident_list": V(SCOPED, query="ky=2026"),
    "evaluation:incident_new": V(OFFICE), "evaluation:candidate_dismiss": V(WRITE),
    "evaluation:incident_detail": V(SCOPED, "incident"),
    "evaluation:incident_review": V(WRITE, "incident"),
    # the collaborators' activity, coverage, allowance and the imports: the office's own staff
    "evaluation:collaborator_activity": V(OFFICE),
    "collaborator_funding": V(OFFICE), "collaborator_funding_export": V(OFFICE),
    "collaborator_payment": V(WRITE), "unit_import": V(OFFICE),
    "unit_import_template": V(OFFICE), "collaborator_import": V(OFFICE),
    "collaborator_import_template": V(OFFICE),
    "picture:brief_pdf": V(OFFICE, "brief"),
    # consultations: a draft is the ward's; a comment its unit's; groups and answers the office's
    "consult_draft_list": V(SCOPED), "consult_draft_upload": V(OFFICE),
    "consult_draft_detail": V(SCOPED, "draft"), "consult_provision": V(SCOPED, "provision"),
    "consult_synthesis": V(OFFICE, "draft"), "consult_synthesis_docx": V(OFFICE, "draft"),
    "consult_answer": V(WRITE, "comment_group"), "consult_public": V(PUBLIC, "draft"),
    # consultations: a policy is the ward's; its file counts what the reader's units heard
    "consult_policy_list": V(SCOPED), "consult_policy_create": V(OFFICE),
    "consult_policy_detail": V(SCOPED, "policy"), "consult_policy_edit": V(OFFICE, "policy"),
    "consult_policy_stage": V(WRITE, "policy"), "consult_policy_waiver": V(WRITE, "policy"),
    "consult_policy_link": V(WRITE, "policy"), "consult_policy_difficulty": V(WRITE, "policy"),
    "consult_policy_unlink": V(WRITE, "policy_link"),
    # voters' petitions: a round and a delegate group are the council's (their figures count the
    # reader's meetings); a meeting's points are its unit's; the two reports the office's and
    # the leaders'; the calendar shows the reader's meetings of the month the world holds
    "petition_rounds": V(SCOPED), "petition_round_create": V(OFFICE),
    "petition_round": V(SCOPED, "petition_round"),
    "petition_round_attach": V(WRITE, "petition_round"),
    "petition_compilation_docx": V(OFFICE, "petition_round"),
    "petition_result_docx": V(OFFICE, "petition_round"),
    "petition_groups": V(SCOPED), "petition_meeting": V(SCOPED, "petition_meeting"),
    "petition_meeting_link": V(WRITE, "petition_meeting"),
    "petition_points": V(SCOPED), "petition_points_xlsx": V(SCOPED),
    "petition_mark": V(WRITE, "item"), "petition_reply": V(WRITE, "item"),
    "petition_calendar": V(SCOPED, query="thang=2026-01"),
    # plans (issue 11): the plan is the ward's document; a task shows the units it applies to
    # in the reader's scope (a task whose owners are all outside it is not found); a unit's
    # records (its plan, sessions, files) and its inspections are the unit's and its subtree's
    "plans:plan_list": V(SCOPED), "plans:plan_new": V(OFFICE),
    "plans:plan_detail": V(SCOPED, "plan"), "plans:task_export": V(SCOPED, "plan"),
    "plans:task_new": V(OFFICE, "plan"), "plans:task_detail": V(SCOPED, "plan_task"),
    "plans:task_edit": V(OFFICE, "plan_task"), "plans:task_progress": V(WRITE, "plan_task"),
    "plans:unit_page": V(SCOPED, "unit"), "plans:unit_plan": V(WRITE, "unit"),
    "plans:session_new": V(WRITE, "unit"), "plans:session_edit": V(SCOPED, "plan_session"),
    "plans:file": V(SCOPED, "plan_file"),
    "plans:gaps": V(SCOPED), "plans:gaps_export": V(SCOPED),
    "plans:inspection_list": V(SCOPED), "plans:inspection_new": V(OFFICE),
    "plans:inspection_detail": V(SCOPED, "plan_inspection"),
    "plans:inspection_follow_up": V(WRITE, "plan_inspection"),
}


# --- the URL configuration ----------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else str(entry.name)
            yield Route(name, prefix + str(entry.pattern))


def app_routes() -> dict[str, Route]:
    """Named routes of the app; DRF's format-suffix twins and Django's admin are set apart."""
    routes: dict[str, Route] = {}
    for route in _walk(get_resolver().url_patterns):
        if route.pattern.startswith(ADMIN_PREFIX) or route.name.startswith("admin:"):
            continue
        if "format" in route.pattern and route.name in routes:
            continue
        routes.setdefault(route.name, route)
    return routes


def test_every_route_has_a_scoping_verdict():
    missing = sorted(name for name in app_routes() if name not in VERDICTS)
    assert not missing, (
        "Routes without a scoping verdict (add each to VERDICTS, with the objects that fill its "
        f"arguments): {missing}"
    )


def test_no_verdict_names_a_route_that_is_gone():
    stale = sorted(set(VERDICTS) - set(app_routes()))
    assert not stale, f"Verdicts for routes that no longer exist: {stale}"


# --- the world ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo ward, one month of it, loaded once and rolled back at the end."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            build_world()
            yield
            transaction.set_rollback(True)


@dataclass
class Scope:
    """What one reader may see, and the evidence that they saw something else."""

    user: User
    unit_ids: set[int]
    names: re.Pattern | None = None
    words: set[str] = field(default_factory=set)

    def leaks(self, text: str) -> list[str]:
        found = []
        if self.names is not None:
            found += sorted({m.group(0) for m in self.names.finditer(text)})[:5]
        if self.words:
            found += sorted(_windows_in(text, self.words))[:5]
        return found


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text or "")).strip()


def _windows_in(text: str, words: set[str]) -> set[str]:
    text = _squash(text)
    return {text[i:i + PREFIX] for i in range(len(text) - PREFIX + 1)} & words


def _prefixes(texts: Iterable[str]) -> set[str]:
    squashed = (_squash(t) for t in texts)
    return {t[:PREFIX] for t in squashed if len(t) >= PREFIX}


def _ancestor_ids(unit: OrgUnit) -> set[int]:
    ids = set()
    while unit.parent_id:
        ids.add(unit.parent_id)
        unit = unit.parent
    return ids


def scope_of(user: User, public_text: str) -> Scope:
    unit_ids = visible_unit_ids(user) or set()
    public = _squash(public_text)
    own_words = " ".join(_unit_texts(unit_ids, inside=True))
    allowed_units = unit_ids | _ancestor_ids(user.unit) | _units_named_by_matters_of(user)
    outside = OrgUnit.objects.exclude(pk__in=allowed_units)
    names = [
        name for name in outside.values_list("name", flat=True)
        # A name the reader's own units wrote, or anyone can read, is not evidence.
        if name not in public and name not in own_words
    ]
    pattern = None
    if names:
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
    words = _prefixes(_unit_texts(unit_ids, inside=False)) - _prefixes([own_words])
    words -= _prefixes(_unit_texts(unit_ids, inside=True))
    words -= _windows_in(public, words)
    return Scope(user=user, unit_ids=unit_ids, names=pattern, words=words)


def _unit_texts(unit_ids: set[int], *, inside: bool) -> list[str]:
    """The words units wrote: inside the reader's scope, or outside it."""

    def pick(qs, unit_field: str):
        where = {f"{unit_field}__in": unit_ids}
        return qs.filter(**where) if inside else qs.exclude(**where)

    texts: list[str] = []
    for sections in pick(UnitReport.objects.all(), "unit_id").values_list("sections", flat=True):
        texts += [str(v) for v in (sections or {}).values()]
    texts += pick(OpinionStream.objects.all(), "report__unit_id").values_list("summary", flat=True)
    texts += pick(OpinionItem.objects.filter(unit__isnull=False), "unit_id").values_list(
        "text", flat=True)
    meetings = pick(Meeting.objects.filter(unit__isnull=False), "unit_id")
    for title, place, delegates in meetings.values_list("title", "place", "delegates"):
        texts += [title, place, delegates]
    texts += pick(Collaborator.objects.all(), "unit_id").values_list("full_name", flat=True)
    texts += pick(Survey.objects.filter(unit__isnull=False), "unit_id").values_list(
        "title", flat=True)
    texts += pick(Comment.objects.filter(unit__isnull=False), "unit_id").values_list(
        "text", flat=True)
    texts += pick(DisseminationSession.objects.all(), "unit_id").values_list("content", flat=True)
    for findings, advice in pick(Inspection.objects.all(), "inspected_unit_id").values_list(
            "findings", "recommendations"):
        texts += [findings, advice]
    return [t for t in texts if t]


def _units_named_by_matters_of(user: User) -> set[int]:
    """Units an issue the reader shares names: who handles it, who answered it."""
    owners = issues_visible_to(user).exclude(owner_unit__isnull=True).values_list("owner_unit_id",
                                                                           flat=True)
    answering = Answer.objects.exclude(answering_unit__isnull=True).values_list(
        "answering_unit_id", flat=True)
    offices = OrgUnit.objects.filter(kind=OrgUnit.Kind.OFFICE).values_list("pk", flat=True)
    # A policy is the ward's matter: every reader reads its owner agency.
    policy_owners = Policy.objects.exclude(owner_unit__isnull=True).values_list(
        "owner_unit_id", flat=True)
    return {*owners, *answering, *offices, *policy_owners}


# --- objects that fill the routes' arguments ----------------------------------------------------


Pick = Callable[[Scope], list[tuple[dict, bool]]]  # (kwargs, inside the reader's scope)


def _by_unit(qs, unit_field: str, to_kwargs: Callable[[object], dict]) -> Pick:
    def pick(scope: Scope) -> list[tuple[dict, bool]]:
        inside = qs().filter(**{f"{unit_field}__in": scope.unit_ids}).order_by("pk").first()
        outside = qs().exclude(**{f"{unit_field}__in": scope.unit_ids}).order_by("pk").first()
        return [(to_kwargs(obj), own) for obj, own in ((inside, True), (outside, False)) if obj]
    return pick


def _any(qs, to_kwargs: Callable[[object], dict]) -> Pick:
    def pick(scope: Scope) -> list[tuple[dict, bool]]:
        obj = qs().order_by("pk").first()
        return [(to_kwargs(obj), True)] if obj else []
    return pick


def _issues(scope: Scope) -> list[tuple[dict, bool]]:
    visible = issues_visible_to(scope.user)
    inside = visible.order_by("pk").first()
    outside = Issue.objects.exclude(pk__in=visible.values("pk")).order_by("pk").first()
    # The issue that carries other units' report lines: the leak issue 14 found.
    mixed = (visible.filter(streams__isnull=False)
             .exclude(streams__report__unit_id__in=scope.unit_ids).order_by("pk").first())
    found = [(inside, True), (mixed, True), (outside, False)]
    return [({"pk": obj.pk}, own) for obj, own in found if obj]


def _directions(scope: Scope) -> list[tuple[dict, bool]]:
    visible = directions_visible_to(scope.user)
    inside = visible.order_by("pk").first()
    outside = Direction.objects.exclude(pk__in=visible.values("pk")).order_by("pk").first()
    # A direction the reader shares with units outside their scope: their names must not show.
    others = DirectionAssignment.objects.exclude(unit_id__in=scope.unit_ids)
    shared = visible.filter(pk__in=others.values("direction_id")).order_by("pk").first()
    found = [(inside, True), (shared, True), (outside, False)]
    return [({"pk": obj.pk}, own) for obj, own in found if obj]


def _streams(scope: Scope) -> list[tuple[dict, bool]]:
    return [({"report_pk": s.report_id, "stream_pk": s.pk}, own)
            for s, own in _pairs(OpinionStream.objects.all(), "report__unit_id", scope)]


def _pairs(qs, unit_field: str, scope: Scope):
    inside = qs.filter(**{f"{unit_field}__in": scope.unit_ids}).order_by("pk").first()
    outside = qs.exclude(**{f"{unit_field}__in": scope.unit_ids}).order_by("pk").first()
    return [(obj, own) for obj, own in ((inside, True), (outside, False)) if obj]


def _consolidated(scope: Scope) -> list[tuple[dict, bool]]:
    """A unit's consolidated report inside the scope, another unit's, and the ward's (outside
    every reporter's scope)."""
    reports = ConsolidatedReport.objects.filter(unit__isnull=False)
    found = _pairs(reports, "unit_id", scope)
    ward = ConsolidatedReport.objects.filter(unit__isnull=True).order_by("pk").first()
    found += [(ward, scope.user.sees_everything)] if ward else []
    return [({"pk": c.pk}, own) for c, own in found]


def _plan_tasks(scope: Scope) -> list[tuple[dict, bool]]:
    visible = tasks_visible_to(scope.user)
    inside = visible.order_by("pk").first()
    outside = PlanTask.objects.exclude(pk__in=visible.values("pk")).order_by("pk").first()
    return [({"pk": t.pk}, own) for t, own in ((inside, True), (outside, False)) if t]


def _surveys(to_kwargs: Callable[[Survey], dict]) -> Pick:
    def pick(scope: Scope) -> list[tuple[dict, bool]]:
        surveys = Survey.objects.filter(versions__isnull=False).distinct()
        inside = surveys.filter(unit_id__in=scope.unit_ids).order_by("pk").first()
        outside = surveys.exclude(unit_id__in=scope.unit_ids).exclude(unit__isnull=True)
        ward_wide = surveys.filter(unit__isnull=True).order_by("pk").first()
        found = [(inside, True), (outside.order_by("pk").first(), False), (ward_wide, True)]
        return [(to_kwargs(s), own) for s, own in found if s]
    return pick


def _first_question(survey: Survey) -> Question:
    return Question.objects.filter(form_version__survey=survey).order_by("pk").first()


def _latest_version(survey: Survey) -> FormVersion:
    return survey.versions.order_by("-pk").first()


OBJECTS: dict[str, Pick] = {
    "report": _by_unit(UnitReport.objects.all, "unit_id", lambda r: {"pk": r.pk}),
    "flash": _by_unit(FlashRequest.objects.all, "units", lambda r: {"pk": r.pk}),
    "template": _any(ReportTemplate.objects.all, lambda t: {"pk": t.pk}),
    "period": _any(Period.objects.all, lambda p: {"pk": p.pk}),
    "consolidated": _consolidated,
    "stream": _streams,
    "unit": _by_unit(OrgUnit.objects.all, "pk", lambda u: {"pk": u.pk}),
    "area": _by_unit(Area.objects.all, "unit_id", lambda a: {"pk": a.pk}),
    "collaborator": _by_unit(Collaborator.objects.all, "unit_id", lambda c: {"pk": c.pk}),
    "incident": _by_unit(Incident.objects.all, "unit_id", lambda i: {"pk": i.pk}),
    "item": _by_unit(lambda: OpinionItem.objects.filter(unit__isnull=False), "unit_id",
                     lambda i: {"pk": i.pk}),
    "import": _by_unit(lambda: ImportBatch.objects.filter(created_by__unit__isnull=False),
                       "created_by__unit_id", lambda b: {"pk": b.pk}),
    "meeting": _by_unit(lambda: Meeting.objects.filter(unit__isnull=False), "unit_id",
                        lambda m: {"pk": m.pk}),
    "issue": _issues,
    "direction": _directions,
    "alert": _any(BurstAlert.objects.all, lambda a: {"pk": a.pk}),
    "answer": _any(Answer.objects.all, lambda a: {"pk": a.pk}),
    "survey": _surveys(lambda s: {"slug": s.slug}),
    "survey_export": _surveys(lambda s: {"slug": s.slug, "fmt": "csv"}),
    "form_version": _surveys(lambda s: {"slug": s.slug, "pk": _latest_version(s).pk}),
    "survey_version": _surveys(lambda s: {"slug": s.slug, "version_id": _latest_version(s).pk}),
    "question": _surveys(lambda s: {"slug": s.slug, "pk": _first_question(s).pk}),
    "odk_form": _surveys(lambda s: {"pk": _latest_version(s).pk}),
    "token": lambda scope: [({"token": "khong-phai-ma-that-0123456789"}, True)],
    "brief": _any(Brief.objects.all, lambda b: {"pk": b.pk}),
    "latent_candidate": lambda scope: [({"pk": 1, "decision": "bo-qua"}, True)],
    "merge_proposal": _any(MergeProposal.objects.all, lambda p: {"pk": p.pk}),
    "erasure_request": _any(ErasureRequest.objects.all, lambda r: {"pk": r.pk}),
    "mention": _any(Mention.objects.all, lambda m: {"pk": m.pk}),
    "story": _any(Story.objects.all, lambda s: {"pk": s.pk}),
    "source": _any(Source.objects.all, lambda s: {"pk": s.pk}),
    "finding": _any(Misinformation.objects.all, lambda f: {"pk": f.pk}),
    "draft": _any(Draft.objects.all, lambda d: {"pk": d.pk}),
    "provision": _any(lambda: Provision.objects.filter(comments__isnull=False).distinct(),
                      lambda p: {"pk": p.draft_id, "provision_pk": p.pk}),
    "comment_group": _any(CommentGroup.objects.select_related("provision").all,
                          lambda g: {"pk": g.provision.draft_id, "group_pk": g.pk}),
    "policy": _any(Policy.objects.all, lambda p: {"pk": p.pk}),
    "petition_round": _any(Round.objects.all, lambda r: {"pk": r.pk}),
    "petition_meeting": _by_unit(lambda: Meeting.objects.filter(
        unit__isnull=False, kind__in=RESIDENT_MEETINGS), "unit_id", lambda m: {"pk": m.pk}),
    "policy_link": _any(ConsultationLink.objects.all,
                        lambda lk: {"pk": lk.policy_id, "link_pk": lk.pk}),
    "plan": _any(Plan.objects.all, lambda p: {"pk": p.pk}),
    "plan_task": _plan_tasks,
    "plan_session": _by_unit(DisseminationSession.objects.all, "unit_id", lambda s: {"pk": s.pk}),
    "plan_file": _by_unit(PlanFile.objects.all, "unit_id", lambda f: {"pk": f.pk}),
    "plan_inspection": _by_unit(Inspection.objects.all, "inspected_unit_id",
                                lambda i: {"pk": i.pk}),
}


# --- fetching and reading responses -------------------------------------------------------------


def response_text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:5] == b"%PDF-":  # the words as pdftotext reads them off the pages
        assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed to read the PDFs"
        return subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True,
                              check=True, timeout=60).stdout.decode("utf-8", "replace")
    if body[:2] == b"PK":  # XLSX / DOCX: the words are in the XML parts
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            parts = [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
                     if n.endswith(".xml")]
        return re.sub(r"<[^>]+>", " ", " ".join(parts))
    text = body.decode("utf-8", "replace")
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return text


@dataclass(frozen=True)
class Fetch:
    route: str
    url: str
    inside: bool


def fetches(scope: Scope, routes: dict[str, Route]) -> Iterator[Fetch]:
    for name in sorted(routes):
        verdict = VERDICTS[name]
        if verdict.kind == STATIC:
            continue
        suffix = f"?{verdict.query}" if verdict.query else ""
        if not verdict.objects:
            yield Fetch(name, reverse(name) + suffix, True)
            continue
        for kwargs, inside in OBJECTS[verdict.objects](scope):
            yield Fetch(name, reverse(name, kwargs=kwargs) + suffix, inside)


def public_text(routes: dict[str, Route]) -> str:
    """What anyone can read without logging in: not evidence of a leak."""
    client = Client()
    parts = []
    for name, verdict in VERDICTS.items():
        if verdict.kind != PUBLIC or name not in routes:
            continue
        pick = OBJECTS[verdict.objects] if verdict.objects else None
        nobody = Scope(user=None, unit_ids=set())  # type: ignore[arg-type]
        urls = [reverse(name, kwargs=k) for k, _ in pick(nobody)] if pick else [reverse(name)]
        parts += [response_text(client.get(url)) for url in urls]
    return " ".join(parts)


def _no_pdf_here(route: str, response) -> bool:
    """A PDF route on a machine without LibreOffice answers 503 by design (its page says why);
    it still has to refuse an object outside the scope first (404), which the net checks."""
    return (route.endswith("_pdf") and response.status_code == 503
            and shutil.which("soffice") is None)


def test_no_reader_sees_another_units_names_or_words(world, db):
    routes = app_routes()
    public = public_text(routes)
    problems: list[str] = []
    for user in readers():
        scope = scope_of(user, public)
        client = Client()
        client.force_login(user)
        for fetch in fetches(scope, routes):
            response = client.get(fetch.url)
            where = f"{user.username} ({user.unit.name}) GET {fetch.url} [{fetch.route}]"
            verdict = VERDICTS[fetch.route]
            if response.status_code >= 500 and not _no_pdf_here(fetch.route, response):
                problems.append(f"{where}: {response.status_code}")
                continue
            if verdict.kind == OFFICE and user.role != User.Role.OFFICE:
                if response.status_code not in OFFICE_STATUSES:
                    problems.append(f"{where}: office-only route answered "
                                    f"{response.status_code}")
            if not fetch.inside and verdict.kind == SCOPED and response.status_code == 200:
                problems.append(f"{where}: an object outside the scope was shown (200)")
            leaked = scope.leaks(response_text(response)) if response.status_code == 200 else []
            if leaked:
                problems.append(f"{where}: shows {leaked}")
    assert not problems, "\n".join(problems)


def test_a_reporter_is_not_let_into_the_admin(world, db):
    client = Client()
    client.force_login(readers()[0])
    for url in ("/quan-tri/", "/quan-tri/intake/opinionitem/", "/quan-tri/reporting/unitreport/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_the_net_catches_a_leak(world, db):
    """The net itself: a page that printed every unit's name would be caught."""
    routes = app_routes()
    user = readers()[0]
    scope = scope_of(user, public_text(routes))
    every_name = " ".join(OrgUnit.objects.values_list("name", flat=True))
    assert scope.leaks(every_name)
    foreign_item = OpinionItem.objects.exclude(unit_id__in=scope.unit_ids).exclude(
        unit__isnull=True).exclude(text__in=OpinionItem.objects.filter(
            unit_id__in=scope.unit_ids).values("text")).first()
    assert foreign_item is not None
    assert scope.leaks(f"<td>{html.escape(foreign_item.text)}</td>") or len(
        _squash(foreign_item.text)) < PREFIX
