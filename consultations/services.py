"""Writes of the consultations app: upload a draft, comment on a provision, answer a group.

Each write checks who may make it, validates with a Vietnamese message naming the field, runs in
one transaction and leaves an audit entry. Comments are masked like every stored text
(``textops.mask_everything``) and grouped per provision by the text engine's grouper.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from consultations.grouping import group_keys, typical
from consultations.models import Comment, CommentGroup, Draft, Provision
from consultations.splitting import Article, DraftError, split_docx
from consultations.synthesis_docx import SynthesisRow, render_synthesis
from core.dates import local_today
from core.errors import ServiceError
from core.models import AuditEntry
from core.salts import address_hashes
from core.services import audit, require_office
from intake.services.public import PUBLIC_LIMIT, PUBLIC_WINDOW, ThrottledError
from textops.services import mask_everything

MAX_TITLE = 300
MAX_BODY = 200
MAX_COMMENT = 5_000
MAX_ORGANISATION = 200
MAX_REASON = 5_000
# The longest window a draft is open for comment (the law asks at least 30 days for a legal
# normative document; a year is surely a typing error).
MAX_WINDOW_DAYS = 366

Action = AuditEntry.Action
COMMENT_TYPE = "consultations.comment"


# --- the draft ---------------------------------------------------------------------------------


def _required(value: str, *, field: str, label: str, limit: int) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise ServiceError(f"Hãy nhập {label}.", field=field)
    if len(value) > limit:
        raise ServiceError(f"{label[:1].upper()}{label[1:]} dài quá {limit} ký tự.", field=field)
    return value


def _check_window(opens_on: dt.date | None, closes_on: dt.date | None) -> None:
    if opens_on is None:
        raise ServiceError("Hãy nhập ngày bắt đầu lấy ý kiến.", field="opens_on")
    if closes_on is None:
        raise ServiceError("Hãy nhập ngày kết thúc lấy ý kiến.", field="closes_on")
    if closes_on < opens_on:
        raise ServiceError(
            f"Ngày kết thúc ({closes_on:%d/%m/%Y}) trước ngày bắt đầu ({opens_on:%d/%m/%Y}).",
            field="closes_on",
        )
    if (closes_on - opens_on).days > MAX_WINDOW_DAYS:
        raise ServiceError("Thời gian lấy ý kiến dài quá một năm: hãy kiểm tra lại ngày kết thúc.",
                           field="closes_on")


def provisions_of(articles: Iterable[Article]) -> list[Provision]:
    """What one comments on: every article as a whole, then each of its numbered clauses (its
    points written under it)."""
    provisions: list[Provision] = []
    for article in articles:
        chapter = article.chapter or ""
        provisions.append(Provision(position=len(provisions) + 1, chapter=chapter,
                                    article=article.number, title=article.title,
                                    text=article.text))
        for clause in article.clauses:
            lines = [clause.text, *(f"{p.number}) {p.text}" for p in clause.points)]
            provisions.append(Provision(position=len(provisions) + 1, chapter=chapter,
                                        article=article.number, clause=clause.number,
                                        title=article.title, text="\n".join(lines)))
    return provisions


def upload_draft(
    *,
    user,
    title: str,
    issuing_body: str,
    opens_on: dt.date | None,
    closes_on: dt.date | None,
    file_name: str,
    data: bytes,
) -> Draft:
    """Store a draft split into its provisions (the office's); nothing is stored when the file
    cannot be split."""
    require_office(user, "đưa dự thảo ra lấy ý kiến")
    title = _required(title, field="title", label="tên dự thảo", limit=MAX_TITLE)
    issuing_body = _required(issuing_body, field="issuing_body",
                             label="cơ quan chủ trì soạn thảo", limit=MAX_BODY)
    _check_window(opens_on, closes_on)
    try:
        structure = split_docx(data)
    except DraftError as exc:
        raise ServiceError(exc.message, field="file") from exc
    with transaction.atomic():
        draft = Draft.objects.create(
            title=title, issuing_body=issuing_body, opens_on=opens_on, closes_on=closes_on,
            file_name=(file_name or "du-thao.docx")[:255], structure=structure.as_dict(),
            created_by=user,
        )
        provisions = provisions_of(structure.articles)
        for provision in provisions:
            provision.draft = draft
        Provision.objects.bulk_create(provisions)
        clauses = sum(1 for p in provisions if p.clause)
        audit(actor=user, action=Action.CREATE, obj=draft,
              summary=f"Đưa dự thảo ra lấy ý kiến: {title} ({len(structure.articles)} điều,"
                      f" {clauses} khoản)",
              data={"articles": len(structure.articles), "clauses": clauses,
                    "opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat()})
    return draft


# --- comments ----------------------------------------------------------------------------------


def can_comment(user) -> bool:
    """The office, a unit's responsible person and a collaborator record comments; leaders lead."""
    return bool(getattr(user, "is_authenticated", False)) and user.role in (
        user.Role.OFFICE, user.Role.REPORTER, user.Role.COLLABORATOR)


def sources_for(user) -> list[str]:
    """What a user may record: a collaborator records residents' comments; the office and a
    unit also their unit's own and an organisation's."""
    if not can_comment(user):
        return []
    if user.role == user.Role.COLLABORATOR:
        return [Comment.Source.RESIDENT]
    return [Comment.Source.UNIT, Comment.Source.RESIDENT, Comment.Source.ORGANISATION]


def add_comment(*, user, provision: Provision, source: str, text: str,
                organisation: str = "", today: dt.date | None = None) -> Comment:
    """Record a comment on a provision, during the draft's comment window, and group it."""
    if not can_comment(user):
        raise ServiceError("Tài khoản của bạn không ghi ý kiến góp ý dự thảo.", field="user")
    if user.unit_id is None:
        raise ServiceError("Tài khoản chưa thuộc đơn vị nào nên chưa ghi được ý kiến.",
                           field="user")
    if source not in sources_for(user):
        raise ServiceError("Hãy chọn ai góp ý (đơn vị, người dân, cơ quan/tổ chức).",
                           field="source")
    draft = provision.draft
    raw = _comment_text(draft, text, today)
    name = ""
    if source == Comment.Source.ORGANISATION:
        name = _required(organisation, field="organisation", label="tên cơ quan, tổ chức góp ý",
                         limit=MAX_ORGANISATION)
    masked, kinds = mask_everything(raw)
    with transaction.atomic():
        comment = Comment.objects.create(
            provision=provision, source=source, unit_id=user.unit_id, organisation=name,
            text=masked, masked_kinds=list(kinds), created_by=user)
        group_provisions([provision.pk])
        audit(actor=user, action=Action.CREATE, obj=comment, unit=user.unit,
              summary=f"Góp ý {provision.label} dự thảo {draft.title}"[:500],
              data={"draft": draft.pk, "provision": provision.pk, "source": source,
                    "masked": list(kinds)})
    return comment


def _comment_text(draft: Draft, text: str, today: dt.date | None) -> str:
    """The comment's text, refused outside the draft's window, empty or too long."""
    day = today or local_today()
    if not draft.is_open_on(day):
        raise ServiceError(
            f"Dự thảo chỉ nhận góp ý từ ngày {draft.opens_on:%d/%m/%Y} đến ngày"
            f" {draft.closes_on:%d/%m/%Y}.", field="text")
    raw = (text or "").strip()
    if not raw:
        raise ServiceError("Hãy viết nội dung góp ý.", field="text")
    if len(raw) > MAX_COMMENT:
        raise ServiceError(f"Nội dung góp ý dài quá {MAX_COMMENT:,} ký tự.".replace(",", "."),
                           field="text")
    return raw


def add_public_comment(*, provision: Provision, text: str, client_ip: str,
                       today: dt.date | None = None) -> Comment:
    """A resident's comment from the public page: anonymous (no unit, no name), masked, throttled
    per address like the public form (a salted daily hash in the audit entry, no raw address)."""
    draft = provision.draft
    raw = _comment_text(draft, text, today)
    now = timezone.now()
    hashes = address_hashes(client_ip, now, "public-comment")
    masked, kinds = mask_everything(raw)
    with transaction.atomic():
        recent = AuditEntry.objects.filter(
            object_type=COMMENT_TYPE, action=Action.CREATE, actor__isnull=True,
            at__gte=now - PUBLIC_WINDOW, data__ip__in=hashes).count()
        if recent >= PUBLIC_LIMIT:
            raise ThrottledError(
                f"Bạn đã gửi {recent} góp ý trong {int(PUBLIC_WINDOW.total_seconds() // 60)} phút"
                " qua. Để tránh gửi trùng, xin vui lòng thử lại sau ít phút nữa.")
        comment = Comment.objects.create(provision=provision, source=Comment.Source.RESIDENT,
                                         text=masked, masked_kinds=list(kinds))
        group_provisions([provision.pk])
        audit(actor=None, action=Action.CREATE, obj=comment,
              summary=f"Người dân góp ý {provision.label} dự thảo {draft.title}"[:500],
              data={"draft": draft.pk, "provision": provision.pk, "public": True,
                    "ip": hashes[0], "masked": list(kinds)})
    return comment


# --- grouping ----------------------------------------------------------------------------------


def group_provisions(provision_ids: Iterable[int]) -> int:
    """Group the comments of each provision (the text engine's grouper, near-identical comments
    together), in the order they came, so a group keeps its key and its answer as comments are
    added. Returns the number of groups. Call inside the writer's transaction."""
    by_provision: dict[int, list[tuple[int, str, int | None]]] = defaultdict(list)
    rows = (Comment.objects.filter(provision_id__in=list(provision_ids)).order_by("pk")
            .values_list("provision_id", "pk", "text", "group_id"))
    for provision_id, pk, text, group_id in rows.iterator(chunk_size=5000):
        by_provision[provision_id].append((pk, text, group_id))
    existing = {(g.provision_id, g.key): g for g in
                CommentGroup.objects.filter(provision_id__in=list(by_provision))}
    wanted: dict[tuple[int, int], list[int]] = {}
    texts: dict[tuple[int, int], list[str]] = defaultdict(list)
    current: dict[int, int | None] = {}
    for provision_id, comments in by_provision.items():
        keys = group_keys([(pk, text) for pk, text, _ in comments])
        for (pk, text, group_id), key in zip(comments, keys, strict=True):
            wanted.setdefault((provision_id, key), []).append(pk)
            texts[(provision_id, key)].append(text)
            current[pk] = group_id
    fresh, changed = [], []
    for ident, members in wanted.items():
        text, size = typical(texts[ident]), len(members)
        group = existing.get(ident)
        if group is None:
            fresh.append(CommentGroup(provision_id=ident[0], key=ident[1], text=text, size=size))
        elif (group.text, group.size) != (text, size):
            group.text, group.size = text, size
            changed.append(group)
    CommentGroup.objects.bulk_create(fresh, batch_size=2000)
    CommentGroup.objects.bulk_update(changed, ["text", "size"], batch_size=2000)
    ids = {(g.provision_id, g.key): g.pk for g in
           CommentGroup.objects.filter(provision_id__in=list(by_provision)).only(
               "pk", "provision_id", "key")}
    for ident, members in wanted.items():
        moved = [pk for pk in members if current[pk] != ids[ident]]
        if moved:
            Comment.objects.filter(pk__in=moved).update(group_id=ids[ident])
    return len(wanted)


def group_draft(draft: Draft) -> int:
    """Group every provision's comments (after a bulk load; each comment added through
    :func:`add_comment` is grouped at once)."""
    with transaction.atomic():
        return group_provisions(draft.provisions.values_list("pk", flat=True))


# --- answers -----------------------------------------------------------------------------------


def answer_group(*, user, group: CommentGroup, response: str, reason: str) -> CommentGroup:
    """The drafting body's answer to a group of comments, recorded by the office: tiếp thu,
    giải trình, or không tiếp thu with the reason."""
    require_office(user, "ghi ý kiến tiếp thu, giải trình")
    if response not in CommentGroup.Response.values:
        raise ServiceError("Hãy chọn tiếp thu, giải trình hoặc không tiếp thu.", field="response")
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise ServiceError(f"Nội dung tiếp thu, giải trình dài quá {MAX_REASON:,} ký tự."
                           .replace(",", "."), field="reason")
    if response != CommentGroup.Response.ACCEPTED and not reason:
        what = ("giải trình" if response == CommentGroup.Response.EXPLAINED
                else "lý do không tiếp thu")
        raise ServiceError(f"Hãy ghi nội dung {what}.", field="reason")
    with transaction.atomic():
        locked = CommentGroup.objects.select_for_update().get(pk=group.pk)
        before = locked.response
        locked.response, locked.reason = response, reason
        locked.answered_by, locked.answered_at = user, timezone.now()
        locked.save(update_fields=["response", "reason", "answered_by", "answered_at"])
        label = CommentGroup.Response(response).label
        audit(actor=user, action=Action.UPDATE, obj=locked,
              summary=f"{label} nhóm {locked.size} ý kiến góp ý {locked.provision.label}",
              data={"response": response, "before": before})
    return locked


# --- the bản tổng hợp ----------------------------------------------------------------------------


def synthesis_rows(draft: Draft) -> list[SynthesisRow]:
    """Every group of the draft in the order of its provisions, the largest first within one,
    with who commented: units and organisations by name, residents by count."""
    units: dict[int, set[str]] = defaultdict(set)
    organisations: dict[int, set[str]] = defaultdict(set)
    residents: Counter[int] = Counter()
    comments = (Comment.objects.filter(provision__draft=draft, group__isnull=False)
                .values_list("group_id", "source", "unit__name", "organisation"))
    for group_id, source, unit_name, organisation in comments.iterator(chunk_size=5000):
        if source == Comment.Source.RESIDENT:
            residents[group_id] += 1
        elif source == Comment.Source.ORGANISATION:
            organisations[group_id].add(organisation)
        elif unit_name:
            units[group_id].add(unit_name)
    groups = (CommentGroup.objects.filter(provision__draft=draft)
              .select_related("provision").order_by("provision__position", "-size", "key"))
    return [
        SynthesisRow(provision=g.provision.label, text=g.text, size=g.size,
                     units=sorted(units[g.pk]), organisations=sorted(organisations[g.pk]),
                     residents=residents[g.pk], response=g.response, reason=g.reason)
        for g in groups
    ]


def export_synthesis(*, user, draft: Draft, now: dt.datetime | None = None) -> bytes:
    """The Bản tổng hợp, tiếp thu, giải trình ý kiến góp ý as DOCX (the office's; audited)."""
    require_office(user, "xuất bản tổng hợp ý kiến góp ý")
    now = now or timezone.now()
    content = render_synthesis(
        draft_title=draft.title, drafting_body=draft.issuing_body,
        superior_body=settings.LONGDAN_SUPERIOR_BODY, place=settings.LONGDAN_PLACE,
        day=timezone.localtime(now).date(), window=(draft.opens_on, draft.closes_on),
        rows=synthesis_rows(draft), generated_at=now)
    audit(actor=user, action=Action.EXPORT, obj=draft,
          summary=f"Xuất bản tổng hợp ý kiến góp ý dự thảo {draft.title}"[:500])
    return content
