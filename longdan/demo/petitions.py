"""The demo's voters' petitions (issue 12): a round of voter contact before the People's
Council's year-end session, its delegate groups, five meetings and thirty points in every state
(answered at the meeting, passed to an agency and answered, waiting, overdue, made an issue — the
issue the engine grouped the point into —, not marked yet), and the leader's receptions and
dialogues of this month and the last for the calendar. Everything goes through the services
(masked, audited), then is moved back to the day it happened, as the other demo steps do."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from core.models import AuditEntry
from intake import services as intake_services
from intake.models import Meeting, OpinionItem
from issues import services as issue_services
from issues.models import Issue, IssueEvent
from orgs.models import Area, OrgUnit, User
from petitions import services
from petitions.models import Field, Point

F = Field
ANSWERED, REFERRED, ISSUE = (Point.Disposition.ANSWERED, Point.Disposition.REFERRED,
                             Point.Disposition.ISSUE)
UBND = "ubnd-phuong"
GROUPS = (
    ("Tổ đại biểu số 1 (khu vực Hòa Bình)", "Đại biểu Nguyễn Văn Hưng; đại biểu Phạm Thị Lan"),
    ("Tổ đại biểu số 2 (khu vực An Lư)", "Đại biểu Trần Đức Thắng; đại biểu Vũ Thị Hòa"),
    ("Tổ đại biểu số 3 (khu vực Thủy Hà)", "Đại biểu Lê Minh Tuấn; đại biểu Đỗ Thị Mai"),
)
# (days before the session, group index, area prefix, title, place)
MEETINGS = (
    (30, 0, "hb", "Tiếp xúc cử tri tổ dân phố Hòa Bình 2, 3, 4",
     "Nhà văn hóa tổ dân phố Hòa Bình 3"),
    (28, 0, "hb", "Tiếp xúc cử tri tổ dân phố Hòa Bình 7, 8", "Nhà văn hóa tổ dân phố Hòa Bình 8"),
    (24, 1, "al", "Tiếp xúc cử tri khu vực An Lư", "Nhà văn hóa tổ dân phố An Lư 5"),
    (21, 2, "th", "Tiếp xúc cử tri khu vực Thủy Hà", "Hội trường tổ dân phố Thủy Hà 2"),
    (16, 1, "al", "Tiếp xúc cử tri các hộ kinh doanh chợ An Lư", "Ban quản lý chợ An Lư"),
)
# Per meeting: (text, field, disposition, agency: a unit code or a name, state)
# state: "at" answered at the meeting; "replied" the agency answered; "due" waiting, not due
# yet; "late" waiting past its due date; "issue" made an issue; "" not marked yet.
POINTS = (
    (
        ("Đề nghị sửa chữa tuyến đường trong ngõ của tổ dân phố đã xuống cấp, mùa mưa ngập"
         " sâu, người già và học sinh đi lại khó khăn.", F.TRANSPORT, REFERRED, UBND, "replied"),
        ("Cử tri phản ánh đèn chiếu sáng công cộng dọc đường ven sông hỏng nhiều tháng chưa"
         " được thay.", F.TRANSPORT, REFERRED, UBND, "late"),
        ("Đề nghị làm rõ tiến độ cấp giấy chứng nhận quyền sử dụng đất cho các hộ đã nộp hồ"
         " sơ từ năm trước.", F.LAND, ANSWERED, "", "at"),
        ("Đề nghị tăng số lần thu gom rác thải sinh hoạt, có điểm tập kết rác gây mùi ảnh"
         " hưởng khu dân cư.", F.ENVIRONMENT, ISSUE, UBND, "issue"),
        ("Cử tri đề nghị công khai các khoản thu đầu năm học tại trường tiểu học.",
         F.EDUCATION, ANSWERED, "", "at"),
        ("Đề nghị có chính sách hỗ trợ người cao tuổi cô đơn không nơi nương tựa trong mùa"
         " đông.", F.WELFARE, REFERRED, UBND, "due"),
        ("Cử tri kiến nghị xử lý tình trạng xe tải chở vật liệu chạy tốc độ cao qua khu dân"
         " cư.", F.SECURITY, "", "", ""),
    ),
    (
        ("Đề nghị nạo vét hệ thống cống thoát nước chung của tổ dân phố trước mùa mưa bão.",
         F.ENVIRONMENT, REFERRED, UBND, "late"),
        ("Cử tri hỏi về kế hoạch xây dựng nhà văn hóa mới sau khi sáp nhập tổ dân phố.",
         F.CULTURE, ANSWERED, "", "at"),
        ("Đề nghị điện lực kiểm tra đường dây điện chằng chịt, nguy cơ chập cháy.",
         F.ECONOMY, REFERRED, "Công ty Điện lực Thủy Nguyên", "replied"),
        ("Đề nghị giải quyết dứt điểm việc lấn chiếm hành lang đường ven sông.",
         F.LAND, ISSUE, UBND, "issue"),
        ("Cử tri đề nghị tăng cường tuần tra bảo đảm an ninh trật tự ban đêm.",
         F.SECURITY, ANSWERED, "", "at"),
        ("Đề nghị hướng dẫn thủ tục chuyển đổi địa chỉ trên giấy tờ sau khi đổi tên phường.",
         F.GOVERNMENT, "", "", ""),
    ),
    (
        ("Cử tri An Lư đề nghị sớm bàn giao mặt bằng và chi trả tiền bồi thường cho các hộ bị"
         " thu hồi đất làm đường.", F.LAND, REFERRED, "Ủy ban nhân dân thành phố Hải Phòng",
         "due"),
        ("Đề nghị bố trí thêm bác sĩ tại trạm y tế phường vào cuối tuần.",
         F.HEALTH, REFERRED, UBND, "late"),
        ("Đề nghị lắp biển báo và gờ giảm tốc tại ngã ba gần trường mầm non.",
         F.TRANSPORT, REFERRED, UBND, "replied"),
        ("Cử tri phản ánh nước sinh hoạt có lúc đục, đề nghị kiểm tra chất lượng nước.",
         F.ENVIRONMENT, REFERRED, "Công ty Cổ phần Cấp nước Hải Phòng", "due"),
        ("Đề nghị giải thích việc điều chỉnh bảng giá đất mới áp dụng từ đầu năm.",
         F.LAND, ANSWERED, "", "at"),
        ("Đề nghị tổ chức lớp dạy nghề ngắn hạn cho lao động lớn tuổi mất việc.",
         F.WELFARE, "", "", ""),
    ),
    (
        ("Cử tri Thủy Hà đề nghị sửa chữa cống tiêu nước ra sông, ruộng thường xuyên ngập.",
         F.ENVIRONMENT, REFERRED, UBND, "replied"),
        ("Đề nghị cho biết thời gian khởi công tuyến đường liên tổ dân phố đã quy hoạch.",
         F.TRANSPORT, ANSWERED, "", "at"),
        ("Đề nghị quan tâm chế độ cho người có công và thân nhân liệt sĩ chưa được hưởng đầy"
         " đủ.", F.WELFARE, REFERRED, UBND, "due"),
        ("Cử tri phản ánh tình trạng đốt rơm rạ gây khói bụi ảnh hưởng sức khỏe.",
         F.ENVIRONMENT, ISSUE, UBND, "issue"),
        ("Đề nghị sân chơi cho thiếu nhi trong khu dân cư mới.", F.CULTURE, "", "", ""),
        ("Đề nghị rút ngắn thời gian giải quyết hồ sơ tại bộ phận một cửa.",
         F.GOVERNMENT, ANSWERED, "", "at"),
    ),
    (
        ("Hộ kinh doanh đề nghị công khai mức thu phí chỗ ngồi bán hàng trong chợ.",
         F.ECONOMY, REFERRED, UBND, "replied"),
        ("Đề nghị cải tạo hệ thống phòng cháy chữa cháy của chợ đã cũ.",
         F.SECURITY, REFERRED, UBND, "late"),
        ("Đề nghị giữ ổn định vị trí kinh doanh khi cải tạo chợ.", F.ECONOMY, ANSWERED, "",
         "at"),
        ("Đề nghị kiểm tra vệ sinh an toàn thực phẩm hàng rong trước cổng chợ.",
         F.HEALTH, "", "", ""),
        ("Đề nghị có bãi trông giữ xe cho người đi chợ, tránh lấn chiếm lòng đường.",
         F.TRANSPORT, REFERRED, UBND, "due"),
    ),
)
ANSWERERS = ("Đồng chí Chủ tịch UBND phường", "Đồng chí Phó Chủ tịch UBND phường",
             "Đồng chí Trưởng Công an phường")
ANSWER = ("Đã giải thích tại hội nghị; cử tri đồng tình với phương án và lộ trình thực hiện"
          " của phường.")
REPLY = "Cơ quan đã kiểm tra, trả lời bằng văn bản và đưa vào kế hoạch thực hiện trong quý tới."
# The leader's receptions and dialogues: (days after the 1st of the month, kind, title, place,
# points), this month and the last, only those before today.
RECEPTIONS = (
    (0, Meeting.Kind.RECEPTION, "Tiếp công dân định kỳ của Bí thư Đảng ủy",
     "Trụ sở tiếp công dân phường",
     ("Hộ dân hỏi về việc cấp giấy chứng nhận quyền sử dụng đất đã nộp hồ sơ lâu.",
      "Đề nghị xem xét lại mức hỗ trợ khi thu hồi đất làm đường ven sông.")),
    (2, Meeting.Kind.DIALOGUE, "Đối thoại với hộ kinh doanh chợ An Lư về phương án cải tạo chợ",
     "Hội trường Ủy ban nhân dân phường",
     ("Tiểu thương lo mất chỗ bán hàng trong thời gian cải tạo chợ.",
      "Tiểu thương muốn biết phương án bố trí chợ tạm.",
      "Đề nghị miễn giảm phí chỗ ngồi trong thời gian thi công.")),
    (14, Meeting.Kind.RECEPTION, "Tiếp công dân định kỳ của Bí thư Đảng ủy",
     "Trụ sở tiếp công dân phường",
     ("Phản ánh việc xây dựng nhà xưởng gây tiếng ồn ban đêm.",)),
    (19, Meeting.Kind.DIALOGUE,
     "Đối thoại với thanh niên về việc làm sau sắp xếp đơn vị hành chính",
     "Nhà văn hóa tổ dân phố Thủy Hà 2",
     ("Thanh niên đề nghị thông tin về các lớp đào tạo nghề miễn phí.",
      "Đề nghị kết nối việc làm tại các khu công nghiệp lân cận.")),
)


def session_day(today: dt.date) -> dt.date:
    """The year-end session: 18 December of this year from late November on, else last year's."""
    year = today.year if today >= dt.date(today.year, 11, 25) else today.year - 1
    return dt.date(year, 12, 18)


def _area(prefix: str, silent: set[int]) -> Area:
    areas = Area.objects.filter(name_folded__contains=_fold_prefix(prefix)).exclude(
        pk__in=silent).select_related("unit").order_by("pk")
    return areas.first() or Area.objects.exclude(pk__in=silent).order_by("pk").first()


def _fold_prefix(prefix: str) -> str:
    return {"hb": "hoa binh", "al": "an lu", "th": "thuy ha"}[prefix]


class _Petitions:
    def __init__(self, *, today: dt.date, office: User, leader: User, silent: set[int]):
        self.today, self.office, self.leader, self.silent = today, office, leader, silent
        self.loading = timezone.now()
        self.tz = timezone.get_default_timezone()
        self.counts = {"meetings": 0, "points": 0, "marked": 0, "receptions": 0}

    def _settle(self, day: dt.date) -> None:
        """What the services stamped with the real clock happened on ``day``, mid-morning."""
        at = dt.datetime.combine(day, dt.time(9, 30), tzinfo=self.tz)
        AuditEntry.objects.filter(at__gte=self.loading).update(at=at)
        OpinionItem.objects.filter(created_at__gte=self.loading).update(created_at=at)
        Meeting.objects.filter(created_at__gte=self.loading).update(created_at=at)
        # an issue a point became was opened that day
        Issue.objects.filter(created_at__gte=self.loading).update(
            created_at=at, first_seen_on=day, last_seen_on=day)
        IssueEvent.objects.filter(at__gte=self.loading).update(at=at)

    def build(self) -> dict[str, int]:
        session = session_day(self.today)
        round_ = services.create_round(user=self.office, data=services.RoundInput(
            title=f"Đợt tiếp xúc cử tri trước kỳ họp cuối năm {session.year}",
            timing="truoc", session_name=f"kỳ họp thường lệ cuối năm {session.year} HĐND phường"
            " Hòa Bình", session_on=session, starts_on=session - dt.timedelta(days=32),
            ends_on=session - dt.timedelta(days=6)))
        self._settle(round_.starts_on - dt.timedelta(days=3))
        groups = [services.create_delegate_group(user=self.office, name=name, members=members)
                  for name, members in GROUPS]
        units = {u.code: u for u in OrgUnit.objects.filter(code__in=[UBND, "hdnd-phuong"])}
        for (before, group, prefix, title, place), points in zip(MEETINGS, POINTS, strict=True):
            day = session - dt.timedelta(days=before)
            if day >= self.today:
                continue
            area = _area(prefix, self.silent)
            meeting = intake_services.file_meeting(
                user=self.office, kind=Meeting.Kind.VOTER_MEETING, title=title, held_on=day,
                place=place,
                delegates=f"Đại biểu HĐND phường ứng cử tại địa bàn, {GROUPS[group][0]}",
                unit=area.unit or units["hdnd-phuong"],
                area=area, points=[intake_services.PointInput(p[0]) for p in points])
            services.link_meeting(user=self.office, meeting=meeting, round_=round_,
                                  delegate_group=groups[group])
            issue_services.group_pending_items()  # as the worker does after every filing
            self._settle(day)
            self.counts["meetings"] += 1
            for number, (item, spec) in enumerate(
                    zip(meeting.points.order_by("pk"), points, strict=True)):
                self._mark(item, spec, day, number, units)
        self._receptions()
        return self.counts

    def _mark(self, item: OpinionItem, spec: tuple, day: dt.date, number: int,
              units: dict[str, OrgUnit]) -> None:
        _text, field, disposition, agency, state = spec
        self.counts["points"] += 1
        if not disposition:
            return
        unit = units.get(agency)
        # a late point's due date has passed by today; the others fall due after it
        due = (min(day + dt.timedelta(days=10), self.today - dt.timedelta(days=1))
               if state == "late" else max(day + dt.timedelta(days=45),
                                           self.today + dt.timedelta(days=10)))
        data = services.MarkInput(
            disposition=disposition, field=field, agency=unit,
            agency_name="" if unit else agency,
            answered_by=ANSWERERS[number % len(ANSWERERS)] if disposition == ANSWERED else "",
            answer=ANSWER if disposition == ANSWERED else "",
            due_on=due if disposition == REFERRED else None)
        point = services.mark_point(user=self.office, item=item, data=data, expected_version=0)
        self.counts["marked"] += 1
        if state == "replied":
            replied = min(day + dt.timedelta(days=12), self.today)
            services.record_reply(user=self.office, point=point, reply=REPLY,
                                  replied_on=replied, expected_version=point.version)
        self._settle(day + dt.timedelta(days=2))

    def _receptions(self) -> None:
        first = self.today.replace(day=1)
        previous = (first - dt.timedelta(days=1)).replace(day=1)
        ubnd = OrgUnit.objects.filter(code=UBND).first()
        for month in (previous, first):
            for offset, kind, title, place, texts in RECEPTIONS:
                day = month + dt.timedelta(days=offset)
                if day >= self.today or day.month != month.month:
                    continue
                meeting = intake_services.file_meeting(
                    user=self.office, kind=kind, title=title, held_on=day, place=place,
                    delegates="Đồng chí Bí thư Đảng ủy phường chủ trì", unit=ubnd,
                    points=[intake_services.PointInput(t) for t in texts])
                services.link_meeting(user=self.office, meeting=meeting, round_=None,
                                      leader=self.leader)
                issue_services.group_pending_items()
                self._settle(day)
                self.counts["receptions"] += 1


def build_petitions(builder) -> dict[str, int]:
    """The step of ``longdan.demo.builder``: reads its day, office, leader and silent areas."""
    builder.say("Tạo đợt tiếp xúc cử tri, kiến nghị cử tri và lịch tiếp dân…")
    return _Petitions(today=builder.today, office=builder.office_user, leader=builder.leader,
                      silent={area.pk for area in builder.silent_areas}).build()
