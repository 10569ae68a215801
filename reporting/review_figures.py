"""The office's own figures on the floors reporting may read (intake, issues, monitoring), as
figure providers of a 6-month or annual report (``reporting.figures``; registered in
``ReportingConfig.ready()`` like an upper app's).

Each provider is ``provider(start, end, unit_ids)``: ``unit_ids`` None counts the whole
installation (the ward; a city's report of its wards), otherwise only the units given (a đảng
bộ's report of its chi bộ). Counts use local dates (``USE_TZ``: ``__date`` is the day in
Asia/Ho_Chi_Minh).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from core.dates import local_today
from core.models import Channel
from documents.archive import vn_int
from intake.models import Meeting, OpinionItem
from issues.models import Answer, Issue, IssueEvent
from issues.selectors import OPEN_STATUSES
from monitoring.models import Mention, Misinformation, Story
from reporting.consolidation import rounded_percent as percent
from reporting.drafting import AGGRIEVED
from reporting.figures import Chart, FigureBlock, FigureTable

UNTAGGED = "Chưa phân loại"
TOPIC_ROWS = 12  # topics in the table; the rest on one line "Lĩnh vực khác"
RISING_MIN = 5  # a topic heard at least this often, and half again as often as the period before
RISING_SHOWN = 3  # the topics that rose most, named
LISTED_ISSUES = 15
# The status events that answer an issue (their ``to_value`` is the status's label).
DONE_LABELS = {Issue.Status.RESOLVED.label, Issue.Status.ANSWERED.label,
               Issue.Status.CLOSED.label}


def _before(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period of the same length just before ``start``..``end``."""
    days = (end - start).days + 1
    return start - dt.timedelta(days=days), start - dt.timedelta(days=1)


def _items(start: dt.date, end: dt.date, unit_ids: set[int] | None):
    items = OpinionItem.objects.filter(received_on__range=(start, end))
    return items if unit_ids is None else items.filter(unit_id__in=unit_ids)


def _topic_counts(items) -> dict[str, int]:
    tagged = OpinionItem.topics.through.objects.filter(opinionitem__in=items)
    counts = {row["topic__name"]: row["n"] for row in
              tagged.values("topic__name").annotate(n=Count("opinionitem_id"))}
    untagged = items.filter(topics=None).count()
    if untagged:
        counts[UNTAGGED] = untagged
    return counts


# --- opinions by channel and topic -------------------------------------------------------------


def opinion_figures(start: dt.date, end: dt.date,
                    unit_ids: set[int] | None = None) -> FigureBlock | None:
    items = _items(start, end, unit_ids)
    total = items.count()
    if not total:
        return FigureBlock(
            key="y_kien", title="Tiếp nhận ý kiến nhân dân qua các kênh", order=10,
            lines=("Trong kỳ chưa ghi nhận ý kiến nào của nhân dân vào hệ thống",),
            shortcomings=("Chưa ghi nhận ý kiến nhân dân nào vào hệ thống trong kỳ; việc nắm"
                          " bắt, cập nhật ý kiến qua các kênh chưa được thực hiện",),
        )
    labels = dict(Channel.choices)
    channels = [(labels.get(c, c), n) for c, n in
                items.values_list("channel").annotate(n=Count("pk")).order_by("-n", "channel")]
    aggrieved = items.filter(attitude__in=AGGRIEVED).count()
    topics = _topic_counts(items)
    aggrieved_by_topic = _topic_counts(items.filter(attitude__in=AGGRIEVED))
    before = _topic_counts(_items(*_before(start, end), unit_ids))
    # The untagged items last: a row of the table, not a topic of the chart or the sentences.
    ordered = sorted(topics.items(), key=lambda kv: (kv[0] == UNTAGGED, -kv[1], kv[0]))
    named = [(name, n) for name, n in ordered if name != UNTAGGED]
    topic_rows = [
        (i, name, n, before.get(name, 0), aggrieved_by_topic.get(name, 0))
        for i, (name, n) in enumerate(ordered[:TOPIC_ROWS], start=1)
    ]
    rest = ordered[TOPIC_ROWS:]
    if rest:
        topic_rows.append(("", f"Lĩnh vực khác ({len(rest)})", sum(n for _, n in rest),
                           sum(before.get(name, 0) for name, _ in rest),
                           sum(aggrieved_by_topic.get(name, 0) for name, _ in rest)))
    rising = sorted(
        [(name, before.get(name, 0), n) for name, n in named
         if n >= RISING_MIN and n >= 1.5 * max(before.get(name, 0), 1)],
        key=lambda row: (row[1] - row[2], row[0]))[:RISING_SHOWN]  # the largest rises
    lines = [
        f"Tiếp nhận {vn_int(total)} ý kiến của nhân dân qua {len(channels)} kênh; nhiều nhất qua "
        + ", ".join(f"{name} ({vn_int(n)})" for name, n in channels[:3]),
        f"Ý kiến bức xúc, phản đối: {vn_int(aggrieved)} ({percent(aggrieved, total)})",
        "Các lĩnh vực được phản ánh nhiều nhất: "
        + ", ".join(f"{name} ({vn_int(n)})" for name, n in named[:3]),
    ]
    directions = []
    if rising:
        lines.append("Tăng nhiều so với kỳ trước: " + ", ".join(
            f"{name} (từ {vn_int(was)} lên {vn_int(now)} ý kiến)" for name, was, now in rising))
        directions.append("Theo dõi sát dư luận về " + ", ".join(n for n, _, _ in rising)
                          + " (tăng so với kỳ trước); chủ động thông tin, giải thích kịp thời")
    channel_rows = tuple((i, name, n, percent(n, total))
                         for i, (name, n) in enumerate(channels, start=1))
    return FigureBlock(
        key="y_kien", title="Tiếp nhận ý kiến nhân dân qua các kênh", order=10,
        lines=tuple(lines),
        tables=(
            FigureTable("Ý kiến nhân dân theo kênh tiếp nhận", ("STT", "Kênh", "Số ý kiến",
                        "Tỷ lệ"), channel_rows + (("", "Cộng", total, "100%"),),
                        "Ý kiến theo kênh"),
            FigureTable("Ý kiến nhân dân theo lĩnh vực",
                        ("STT", "Lĩnh vực", "Số ý kiến", "Kỳ trước", "Bức xúc, phản đối"),
                        tuple(topic_rows), "Ý kiến theo lĩnh vực"),
        ),
        charts=(Chart("Ý kiến nhân dân theo lĩnh vực", tuple(name for name, _ in named[:8]),
                      tuple(n for _, n in named[:8])),),
        directions=tuple(directions),
        shortcomings=_unanswered_petitions(items),
    )


def _unanswered_petitions(items) -> tuple[str, ...]:
    """Items whose sender asked to be answered, not yet answered: no published answer names
    the item, and its issue (if any) is still open."""
    waiting = (items.filter(wants_reply=True)
               .filter(Q(issue__isnull=True) | Q(issue__status__in=OPEN_STATUSES))
               .exclude(answers__published_at__isnull=False).distinct().count())
    if not waiting:
        return ()
    return (f"{vn_int(waiting)} ý kiến, kiến nghị người dân đề nghị được trả lời chưa được trả"
            " lời",)


# --- meetings and dialogues ---------------------------------------------------------------------


def meeting_figures(start: dt.date, end: dt.date,
                    unit_ids: set[int] | None = None) -> FigureBlock | None:
    meetings = Meeting.objects.filter(held_on__range=(start, end))
    if unit_ids is not None:
        meetings = meetings.filter(unit_id__in=unit_ids)
    rows = []
    total = heard = 0
    for kind, label in Meeting.Kind.choices:
        of_kind = meetings.filter(kind=kind)
        count = of_kind.count()
        points = OpinionItem.objects.filter(meeting__in=of_kind).count()
        rows.append((label, count, points))
        total += count
        heard += points
    if not total:
        return FigureBlock(
            key="hoi_nghi", title="Tiếp xúc cử tri, đối thoại với nhân dân", order=20,
            lines=("Trong kỳ chưa ghi nhận hội nghị tiếp xúc cử tri, đối thoại nào",),
            shortcomings=("Chưa tổ chức (hoặc chưa cập nhật) hội nghị tiếp xúc cử tri, đối"
                          " thoại với nhân dân trong kỳ",),
            directions=("Tổ chức tiếp xúc cử tri, đối thoại trực tiếp với nhân dân theo kế"
                        " hoạch, cập nhật biên bản vào hệ thống",),
        )
    parts = [f"{n} hội nghị {label.lower()}" for label, n, _ in rows if n]
    return FigureBlock(
        key="hoi_nghi", title="Tiếp xúc cử tri, đối thoại với nhân dân", order=20,
        lines=(f"Tổ chức {' và '.join(parts)}, ghi nhận {vn_int(heard)} ý kiến của nhân dân",),
        tables=(FigureTable("Hội nghị tiếp xúc cử tri, đối thoại",
                            ("Hình thức", "Số cuộc", "Ý kiến ghi nhận"),
                            tuple(rows) + (("Cộng", total, heard),), "Hội nghị, đối thoại"),),
    )


# --- issues, answers and explanations ----------------------------------------------------------


def _scoped_issues(unit_ids: set[int] | None):
    issues = Issue.objects.filter(merged_into__isnull=True)
    if unit_ids is None:
        return issues
    heard_there = OpinionItem.objects.filter(unit_id__in=unit_ids).exclude(issue=None)
    return issues.filter(Q(owner_unit_id__in=unit_ids) | Q(pk__in=heard_there.values("issue_id")))


def issue_figures(start: dt.date, end: dt.date,
                  unit_ids: set[int] | None = None) -> FigureBlock | None:
    issues = _scoped_issues(unit_ids)
    opened = issues.filter(first_seen_on__range=(start, end)).count()
    done = Q(kind=IssueEvent.Kind.ANSWER) | Q(kind=IssueEvent.Kind.STATUS,
                                              to_value__in=DONE_LABELS)
    answered = issues.filter(pk__in=IssueEvent.objects.filter(done, at__date__range=(start, end))
                             .values("issue_id")).count()
    today = local_today()
    open_now = issues.filter(status__in=OPEN_STATUSES, first_seen_on__lte=end)
    overdue = list(
        open_now.filter(due_on__isnull=False, due_on__lte=end, due_on__lt=today)
        .select_related("owner_unit").order_by("due_on", "code")
    )
    if not (opened or answered or open_now.exists()):
        return None
    lines = [f"Phát hiện {vn_int(opened)} vấn đề dư luận mới; trả lời, giải quyết"
             f" {vn_int(answered)} vấn đề trong kỳ; {vn_int(open_now.count())} vấn đề đang"
             f" theo dõi, xử lý, trong đó {vn_int(len(overdue))} vấn đề quá hạn"]
    tables = [FigureTable("Vấn đề dư luận", ("Chỉ tiêu", "Số vấn đề"), (
        ("Phát hiện mới trong kỳ", opened),
        ("Đã trả lời, giải quyết trong kỳ", answered),
        ("Đang theo dõi, xử lý", open_now.count()),
        ("Quá hạn xử lý", len(overdue)),
    ), "Vấn đề dư luận")]
    shortcomings, directions = [], []
    if overdue:
        tables.append(FigureTable(
            "Vấn đề quá hạn xử lý", ("STT", "Mã", "Vấn đề", "Đơn vị chủ trì", "Hạn xử lý"),
            tuple((i, x.code, x.title, x.owner_unit.name if x.owner_unit else "",
                   f"{x.due_on:%d/%m/%Y}")
                  for i, x in enumerate(overdue[:LISTED_ISSUES], start=1)),
            "Vấn đề quá hạn"))
        codes = ", ".join(x.code for x in overdue[:5]) + (", ..." if len(overdue) > 5 else "")
        shortcomings.append(f"{vn_int(len(overdue))} vấn đề dư luận quá hạn xử lý chưa có kết"
                            f" quả ({codes})")
        directions.append(f"Đôn đốc các đơn vị chủ trì giải quyết dứt điểm"
                          f" {vn_int(len(overdue))} vấn đề quá hạn, trả lời nhân dân")
    return FigureBlock(key="van_de", title="Theo dõi, giải quyết vấn đề dư luận", order=30,
                       lines=tuple(lines), tables=tuple(tables),
                       shortcomings=tuple(shortcomings), directions=tuple(directions))


def answer_figures(start: dt.date, end: dt.date,
                   unit_ids: set[int] | None = None) -> FigureBlock | None:
    answers = Answer.objects.filter(published_at__date__range=(start, end))
    if unit_ids is not None:
        answers = answers.filter(
            Q(answering_unit_id__in=unit_ids)
            | Q(issues__in=_scoped_issues(unit_ids).filter(owner_unit_id__in=unit_ids))
        ).distinct()
    counts = dict(answers.values_list("kind").annotate(n=Count("pk", distinct=True)))
    total = sum(counts.values())
    if not total:
        return None
    rows = tuple((label, counts.get(kind, 0)) for kind, label in Answer.Kind.choices)
    parts = [f"{n} {label[:1].lower()}{label[1:]}" for label, n in rows if n]
    return FigureBlock(
        key="tra_loi", title="Trả lời, thông tin, giải thích cho nhân dân", order=40,
        lines=(f"Công bố {vn_int(total)} văn bản trả lời, giải thích: " + "; ".join(parts),),
        tables=(FigureTable("Trả lời, giải thích đã công bố", ("Loại", "Số văn bản"),
                            rows + (("Cộng", total),), "Trả lời, giải thích"),),
    )


# --- the press and social networks (the ward's, not a unit's) -----------------------------------


def press_figures(start: dt.date, end: dt.date,
                  unit_ids: set[int] | None = None) -> FigureBlock | None:
    if unit_ids is not None:
        return None  # the press writes about the ward, not about a đảng bộ's subtree
    mentions = Mention.objects.filter(relevance=Mention.Relevance.WARD).filter(
        Q(published_at__date__range=(start, end))
        | Q(published_at__isnull=True, fetched_at__date__range=(start, end))
    )
    total = mentions.count()
    negative = mentions.filter(attitude__in=AGGRIEVED).count()
    stories = Story.objects.filter(first_seen_at__date__range=(start, end),
                                   mentions__in=mentions).distinct().count()
    marked = Misinformation.objects.filter(created_at__date__range=(start, end))
    verdicts = dict(marked.values_list("verdict").annotate(n=Count("pk")))
    corrected = marked.exclude(corrected_on=None).count()
    marked_total = sum(verdicts.values())
    if not (total or marked_total):
        return None
    sites = list(mentions.values_list("site").annotate(n=Count("pk")).order_by("-n", "site")[:5])
    lines = [f"Theo dõi {vn_int(total)} tin, bài, bài đăng trên báo chí, mạng xã hội về địa bàn"
             f" ({vn_int(stories)} câu chuyện), trong đó {vn_int(negative)} tin, bài có nội"
             " dung bức xúc, phản đối"]
    if marked_total:
        lines.append(f"Xác định {vn_int(marked_total)} thông tin sai sự thật, xuyên tạc; đã"
                     f" đính chính {vn_int(corrected)}")
    rows = [("Tin, bài về địa bàn", total), ("Câu chuyện (tin đăng lại gộp một)", stories),
            ("Tin, bài bức xúc, phản đối", negative)]
    rows += [(label, verdicts.get(code, 0)) for code, label in Misinformation.Verdict.choices]
    rows.append(("Thông tin sai lệch đã đính chính", corrected))
    tables = [FigureTable("Báo chí, mạng xã hội", ("Chỉ tiêu", "Số lượng"), tuple(rows),
                          "Báo chí, mạng xã hội")]
    if sites:
        tables.append(FigureTable("Trang đăng nhiều tin, bài về địa bàn", ("Trang", "Số tin, bài"),
                                  tuple(sites), "Trang đăng nhiều"))
    shortcomings = ()
    if marked_total > corrected:
        shortcomings = (f"{vn_int(marked_total - corrected)} thông tin sai sự thật, xuyên tạc"
                        " chưa được đính chính",)
    return FigureBlock(key="bao_chi", title="Theo dõi báo chí, mạng xã hội", order=50,
                       lines=tuple(lines), tables=tuple(tables), shortcomings=shortcomings)


PROVIDERS = {
    "y_kien": opinion_figures,
    "hoi_nghi": meeting_figures,
    "van_de": issue_figures,
    "tra_loi": answer_figures,
    "bao_chi": press_figures,
}
