"""Opinion items, issues, answers and alerts of the demo's months (``history`` schedules them)."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Max, Min

from core.dates import local_today
from core.models import AuditEntry, Notification
from core.text import fold
from intake import services as intake_services
from intake.models import Meeting, OpinionItem, ResidentContact, Sensitivity
from issues import services as issue_services
from issues.models import Answer, BurstAlert, Issue, IssueEvent
from longdan.demo import history
from longdan.demo import opinion_data as opinions
from longdan.demo.constants import SEED
from orgs.models import Area, Collaborator, OrgUnit, User
from reporting import services as reporting_services
from reporting.models import OpinionStream
from textops import services as textops

if TYPE_CHECKING:
    from longdan.demo.builder import _Builder


@dataclass
class _Entry:
    """One item to file: when, about what, through which door."""

    day: dt.date
    matter: dict
    channel: str
    meeting: int | None = None  # index in opinions.MEETINGS
    item: OpinionItem | None = None


@dataclass
class _Filing:
    """One call of a filing service, drawn but not yet run: at ``at``, ``service(**kwargs)``,
    then ``done(result)``. ``analysed``: the item's text (``kwargs["text"]``) is analysed in the
    demo's batch and handed to the service; a meeting analyses its own points."""

    at: dt.datetime
    service: Callable
    kwargs: dict
    done: Callable[[object], None]
    analysed: bool = True


class _Opinions:
    """Fill the intake and issues apps through their services (masking, normalisation,
    signatures and suggestions happen as in real use), then group once and follow the issues up.

    Its own seeded generator: the ward and its reports stay exactly what they were without it.
    """

    LABELLED = 0.85  # share of staff-filed items whose topic and attitude a person confirmed
    CLOSE_AFTER_DAYS = 60  # an issue nobody raised for this long was closed by the office

    def __init__(self, builder: _Builder):
        self.b = builder
        self.rng = random.Random(SEED + 3)
        self.today = builder.today
        self.start = builder.opinion_start
        self.silent = {area.pk for area in builder.silent_areas}
        self.silent_from = builder.silent_from
        self.office = builder.office_user
        self.matters = {m["key"]: m for m in opinions.MATTERS}
        self.topic_of = {m["key"]: builder._topic(m["topic"]) for m in opinions.MATTERS}
        self.group_of = builder._group
        areas = list(Area.objects.select_related("unit").order_by("sort_key", "name"))
        self.areas = {
            "hb": [a for a in areas if a.former_ward == "Hòa Bình cũ"],
            "al": [a for a in areas if a.former_ward == "An Lư"],
            "th": [a for a in areas if a.former_ward == "Thủy Hà"],
            "any": areas,
        }
        self.units = {u.code: u for u in OrgUnit.objects.select_related("responsible_person")}
        self.entries: list[_Entry] = []
        self.ips = itertools.cycle(opinions.PUBLIC_IPS)
        self.seen: set[str] = set()
        self.link_number = 0

    def build(self) -> None:
        self.collaborators = self._collaborator_users()
        self._schedule()
        self._file_all()
        self._confirm_public_labels()
        run = issue_services.group_pending_items()
        self._restamp_grouping()
        self.main = self._main_issues()
        self._merge_splinters()
        self._follow_up()
        self._link_streams()
        self._stamp(self.b.now, issue_services.detect_bursts, today=self.today)
        self._close_quiet_issues()
        self._issue_times()
        proposals = issue_services.propose_merges(today=self.today)
        self.b.say(f"  {len(self.entries)} ý kiến, {run.new_issues} vấn đề được máy nhóm,"
                   f" {BurstAlert.objects.count()} cảnh báo dư luận mới nổi,"
                   f" {proposals} đề xuất gộp vấn đề.")

    # --- who files ------------------------------------------------------------------------------

    def _collaborator_users(self) -> list[Collaborator]:
        """Ten active collaborators get a login (ctv01…) to file quick reports on their phones."""
        active = [c for c in Collaborator.objects.filter(status=Collaborator.Status.ACTIVE)
                  .prefetch_related("areas").order_by("pk") if c.areas.exists()][:10]
        for number, collaborator in enumerate(active, start=1):
            collaborator.user = self.b._user(f"ctv{number:02d}", User.Role.COLLABORATOR,
                                             collaborator.unit, collaborator.full_name)
            collaborator.save(update_fields=["user"])
        return active

    def _reporter_for(self, area: Area) -> User:
        person = area.unit.responsible_person if area.unit_id else None
        return person or self.office

    # --- when and through which door ----------------------------------------------------------

    def _day(self, ago: int) -> dt.date:
        return self.today - dt.timedelta(days=ago)

    def _schedule(self) -> None:
        self.plan = history.plan_items(opinions.MATTERS, opinions.MEETINGS, start=self.start,
                                       today=self.today, rng=self.rng)
        for planned in self.plan.entries:
            matter = self.matters[planned.key]
            if planned.meeting is None:
                self.entries.append(_Entry(planned.day, matter, self._channel(matter)))
            else:
                kind = opinions.MEETINGS[planned.meeting]["kind"]
                self.entries.append(_Entry(planned.day, matter, kind, meeting=planned.meeting))
        # Day order, meetings first within a day: the earliest item of a matter opens its issue.
        self.entries.sort(key=lambda e: (e.day, e.meeting is None, e.meeting or 0))

    def _areas_for(self, matter: dict, day: dt.date) -> list[Area]:
        """Where the matter may be heard on ``day`` (a list to draw from): nowhere silent once
        the silence began; before it, the silent areas were lively (three times as likely), so
        their silence stands out."""
        areas = self.areas[matter["areas"]]
        if day < self.silent_from:
            return [*areas, *(a for a in areas if a.pk in self.silent for _ in range(2))]
        return [a for a in areas if a.pk not in self.silent]

    def _channel(self, matter: dict) -> str:
        channels = matter["channels"]
        return self.rng.choices(list(channels), list(channels.values()))[0]

    def _at(self, day: dt.date) -> dt.datetime:
        at = self.b._at(day, 7, 21)
        return min(at, self.b.now - dt.timedelta(minutes=self.rng.randint(5, 120)))

    # --- what they say --------------------------------------------------------------------------

    def _text(self, entry: _Entry) -> str:
        matter = entry.matter
        if matter["key"] not in self.seen:  # the headline: the issue's key words come from it
            self.seen.add(matter["key"])
            return matter["texts"][0]
        text = self.rng.choice(matter["texts"])
        opener = self.rng.choice(opinions.OPENERS[entry.channel]) if entry.meeting is None else ""
        if opener:
            text = opener + text[0].lower() + text[1:]
        text += self.rng.choice(opinions.CLOSERS)
        if entry.channel in (opinions.PRESS,):
            return text
        if entry.channel != opinions.FRONT and self.rng.random() < 0.12:
            text += self.rng.choice(opinions.PERSONAL_SNIPPETS).format(
                a=f"{self.rng.randrange(1000):03d}", b=f"{self.rng.randrange(1000):03d}",
                c=f"{self.rng.randrange(10**8):08d}",
            )
        if entry.meeting is None and self.rng.random() < 0.3:
            text = _strip_marks(text)  # typed on a phone without a Vietnamese keyboard
            if self.rng.random() < 0.4:
                text = _teencode(text)
        return text

    def _labels(self, matter: dict) -> tuple[list[int], str]:
        if self.rng.random() >= matter.get("labelled", self.LABELLED):
            return [], ""  # left to the engine's suggestion, to be confirmed later
        attitudes = matter["attitudes"]
        attitude = self.rng.choices(list(attitudes), list(attitudes.values()))[0]
        return [self.topic_of[matter["key"]].pk], attitude

    def _groups(self, matter: dict) -> list[int]:
        names_ = self.rng.sample(matter["groups"], self.rng.randint(0, 2))
        return [self.group_of(name).pk for name in names_]

    # --- filing ---------------------------------------------------------------------------------

    def _stamp(self, at: dt.datetime, service, *, filing: bool = False, **kwargs):
        """Run a service, then move what it stamped with the real clock back to ``at``.

        ``filing``: the service only filed items (and a meeting), so only those and the audit
        entries moved; other services may also write events, notifications and answers."""
        result = service(**kwargs)
        loading = self.b.loading
        AuditEntry.objects.filter(at__gte=loading).update(at=at)
        OpinionItem.objects.filter(created_at__gte=loading).update(created_at=at)
        if filing:
            if service is intake_services.file_meeting:
                Meeting.objects.filter(created_at__gte=loading).update(created_at=at)
            return result
        IssueEvent.objects.filter(at__gte=loading).update(at=at)
        Notification.objects.filter(created_at__gte=loading).update(created_at=at)
        Answer.objects.filter(created_at__gte=loading).update(created_at=at, published_at=at)
        ResidentContact.objects.filter(notified_at__gte=loading).update(notified_at=at)
        return result

    def _file_all(self) -> None:
        """File every entry in day order, the texts analysed in one batch.

        Two passes: the first walks the entries and draws from the generators exactly as filing
        one by one did (so the demo stays the same), collecting each filing; then the items' texts
        are analysed at once (``textops.analyse_many``) and the filings run in the same order,
        each with its text's analysis. A meeting's points are analysed by ``file_meeting`` itself,
        in one batch per meeting."""
        filings: list[_Filing] = []
        done: set[int] = set()
        for entry in self.entries:
            if entry.meeting is None:
                filings.append(self._file_one(entry))
            elif entry.meeting not in done:
                done.add(entry.meeting)
                filings.append(self._file_meeting(entry.meeting))
        texts = [f.kwargs["text"] for f in filings if f.analysed]
        analyses = iter(textops.analyse_many(texts))
        for filing in filings:
            extra = {"analysis": next(analyses)} if filing.analysed else {}
            result = self._stamp(filing.at, filing.service, filing=True, **filing.kwargs, **extra)
            filing.done(result)

    def _file_one(self, entry: _Entry) -> _Filing:
        matter, channel = entry.matter, entry.channel
        allowed = self._areas_for(matter, entry.day)
        area = self.rng.choice(allowed)
        text = self._text(entry)
        at = self._at(entry.day)
        if channel == opinions.PUBLIC:
            return self._public(entry, text, area, at)
        topic_ids, attitude = self._labels(matter)
        user, unit, link, reach = self.office, None, "", ""
        if channel == opinions.COLLABORATOR:
            allowed_ids = {a.pk for a in allowed}
            heard = {c.pk: self._heard_by(c, entry.day) for c in self.collaborators}
            mine = [c for c in self.collaborators if {a.pk for a in heard[c.pk]} & allowed_ids]
            collaborator = self.rng.choice(mine or [c for c in self.collaborators if heard[c.pk]])
            user = collaborator.user
            area = self.rng.choice(heard[collaborator.pk])
        elif channel == opinions.RESIDENTIAL:
            user = self._reporter_for(area)
            unit = area.unit if user is self.office else None
            reach = self.rng.choice(["mot_so_y_kien", "nhieu_y_kien"])
        elif channel == opinions.FRONT:
            user = self.units[self.rng.choice(["mttq-phuong", "hoi-lhpn", "hoi-ccb"])] \
                .responsible_person or self.office
        else:  # press and social media: the office files what it reads, with the link
            link, reach = self._link(channel, matter), self.rng.choice(["nhieu_y_kien", "da_so"])
            area = None if channel == opinions.PRESS else area
        kwargs = dict(
            user=user, text=text, channel=channel, received_on=entry.day, area=area, unit=unit,
            topic_ids=topic_ids, attitude=attitude, social_group_ids=self._groups(matter),
            reach=reach, source_link=link,
            latent=self.rng.random() < matter.get("latent_share", 0.0),
            sensitivity=Sensitivity.SENSITIVE if attitude == "phan_doi" else Sensitivity.NORMAL,
        )

        def done(item: OpinionItem) -> None:
            entry.item = item

        return _Filing(at, intake_services.file_item, kwargs, done)

    def _heard_by(self, collaborator: Collaborator, day: dt.date) -> list[Area]:
        areas = list(collaborator.areas.all())
        if day < self.silent_from:
            return areas
        return [a for a in areas if a.pk not in self.silent]

    def _link(self, channel: str, matter: dict) -> str:
        self.link_number += 1
        if channel == opinions.PRESS:
            slug = matter["key"].replace("_", "-")
            return opinions.PRESS_LINK.format(slug=slug, n=71000 + self.link_number)
        return opinions.SOCIAL_LINK.format(n=1289000000 + self.link_number * 7919)

    def _public(self, entry: _Entry, text: str, area: Area, at: dt.datetime) -> _Filing:
        """A resident's feedback form: half of them ask for a reply and leave contact details."""
        wants_reply = self.rng.random() < 0.5 or entry.matter["key"] in ANSWERED_MATTERS
        contact = {}
        if wants_reply:
            full_name, _ = self.b._person()
            number = len(self.entries) + self.link_number
            self.link_number += 1
            contact = {"name": full_name, "phone": self.b._phone(),
                       "email": f"{fold(full_name).replace(' ', '.')}.{number}@example.com",
                       "address": f"{area.name}, phường Hòa Bình"}
        kwargs = dict(text=text, area_id=area.pk, wants_reply=wants_reply, consent=wants_reply,
                      client_ip=next(self.ips), **contact)

        def done(code: str) -> None:
            # The form stamps the real day; the demo's resident wrote on ``entry.day``.
            OpinionItem.objects.filter(tracking_code=code).update(received_on=entry.day)
            entry.item = OpinionItem.objects.get(tracking_code=code)
            # ... and consented then to keep their contact details (issue 10).
            ResidentContact.objects.filter(item=entry.item).update(consented_at=at)

        return _Filing(at, intake_services.submit_public_feedback, kwargs, done)

    def _file_meeting(self, index: int) -> _Filing:
        spec = opinions.MEETINGS[index]
        day = self._day(spec["ago"])
        entries = [e for e in self.entries if e.meeting == index]
        area = next(a for a in self.areas[spec["area"]] if a.pk not in self.silent)
        points = []
        for entry in entries:
            topic_ids, attitude = self._labels(entry.matter)
            points.append(intake_services.PointInput(self._text(entry), topic_ids, attitude))
        at = self.b._at(day, 8, 10)
        kwargs = dict(
            user=self.office, kind=spec["kind"], title=spec["title"], held_on=day,
            place=spec["place"], delegates=spec["delegates"],
            unit=self.units["mttq-phuong"] if spec["kind"] == "tiep_xuc_cu_tri" else
            self.units["ubnd-phuong"], area=area, points=points,
        )

        def done(meeting: Meeting) -> None:
            for entry, item in zip(entries, meeting.points.order_by("pk"), strict=True):
                entry.item = item

        return _Filing(at, intake_services.file_meeting, kwargs, done, analysed=False)

    def _confirm_public_labels(self) -> None:
        """The office reads the residents' forms and confirms most of their labels."""
        for entry in self.entries:
            if entry.channel == opinions.PUBLIC and self.rng.random() < entry.matter.get(
                    "labelled", 0.7):
                topic_ids = [self.topic_of[entry.matter["key"]].pk]
                attitudes = entry.matter["attitudes"]
                attitude = self.rng.choices(list(attitudes), list(attitudes.values()))[0]
                at = self._at(min(entry.day + dt.timedelta(days=1), self.today))
                entry.item = self._stamp(
                    at, intake_services.confirm_labels, filing=True, user=self.office,
                    item=entry.item, topic_ids=topic_ids, attitude=attitude,
                    expected_version=None,
                )

    # --- issues -----------------------------------------------------------------------------------

    def _restamp_grouping(self) -> None:
        """Grouping ran now; its events belong to the moment each item arrived."""
        created = dict(OpinionItem.objects.values_list("pk", "created_at"))
        moved = []
        for event in IssueEvent.objects.filter(at__gte=self.b.loading):
            source = event.to_value if event.kind == IssueEvent.Kind.ITEM else event.note
            digits = "".join(ch for ch in source.split("#", 1)[-1] if ch.isdigit())
            if digits and int(digits) in created:
                event.at = created[int(digits)]
                moved.append(event)
        IssueEvent.objects.bulk_update(moved, ["at"], batch_size=500)  # not one query per event
        AuditEntry.objects.filter(at__gte=self.b.loading).update(at=self.b.now)

    def _main_issues(self) -> dict[str, Issue]:
        """Per matter, the issue holding most of its items (where the follow-up happens)."""
        counts: dict[str, Counter] = {}
        issue_of = dict(OpinionItem.objects.values_list("pk", "issue_id"))
        for entry in self.entries:
            issue_id = entry.item.issue_id = issue_of[entry.item.pk]
            counts.setdefault(entry.matter["key"], Counter())[issue_id] += 1
        issues = Issue.objects.in_bulk([c.most_common(1)[0][0] for c in counts.values()])
        return {key: issues[c.most_common(1)[0][0]] for key, c in counts.items()}

    def _merge_splinters(self) -> None:
        """The office merges a splinter issue of the same matter into the main one (a few times)."""
        merged = 0
        for key, main in self.main.items():
            others = Counter(e.item.issue_id for e in self.entries
                             if e.matter["key"] == key and e.item.issue_id != main.pk)
            candidates = [pk for pk, n in others.most_common() if n >= 2]
            if not candidates or merged >= 4:
                continue
            other = Issue.objects.get(pk=candidates[0])
            if Issue.objects.filter(pk=other.pk, items__isnull=False).count() != others[other.pk]:
                continue  # the splinter also holds another matter's items: leave it alone
            at = self._at(self._day(max(3, self._first_step_ago(key) + 2)))
            self.main[key] = self._stamp(at, issue_services.merge_issues, user=self.office,
                                         keep=main, other=other)
            merged += 1

    def _first_step_ago(self, key: str) -> int:
        steps = self.matters[key]["plan"]["steps"]
        return steps[0][1] if steps else 3

    def _follow_up(self) -> None:
        for key, matter in self.matters.items():
            plan = matter["plan"]
            for step in plan["steps"]:
                issue = Issue.objects.get(pk=self.main[key].pk)
                self._step(key, issue, plan["owner"], step)

    def _step(self, key: str, issue: Issue, owner_code: str, step: tuple) -> None:
        action, ago = step[0], step[1]
        at = self._at(self._day(ago))
        if action == "assign":
            self._assign(issue, self.units[owner_code], self.today + dt.timedelta(step[2]), at)
        elif action == "answer":
            self._answer(key, issue, at)
        else:
            target = {"watch": Issue.Status.WATCHING, "resolve": Issue.Status.RESOLVED,
                      "close": Issue.Status.CLOSED}[action]
            actor = self.office
            owner = issue.owner_unit.responsible_person if issue.owner_unit_id else None
            if action == "resolve" and owner is not None:
                actor = owner  # the owner unit reports its own work done
            self._stamp(at, issue_services.change_status, user=actor, issue=issue,
                        to_status=target, note=STEP_NOTES[action], expected_version=None)

    def _assign(self, issue: Issue, owner: OrgUnit, due: dt.date, at: dt.datetime) -> None:
        """Assign through the service; a due date already past (it was set weeks ago, as the
        demo tells it) is written back afterwards, since the service refuses a past date."""
        allowed = max(due, local_today())
        self._stamp(at, issue_services.assign, user=self.office, issue=issue, owner_unit=owner,
                    due_on=allowed, expected_version=None)
        if allowed != due:
            Issue.objects.filter(pk=issue.pk).update(due_on=due)
            IssueEvent.objects.filter(issue=issue, kind=IssueEvent.Kind.DUE,
                                      to_value=f"{allowed:%d/%m/%Y}").update(
                to_value=f"{due:%d/%m/%Y}")
            for entry in AuditEntry.objects.filter(object_type="issues.issue",
                                                   object_id=str(issue.pk), at=at):
                # The demo's own history, rewritten before load_demo reseals the hash chain.
                AuditEntry.objects.filter(pk=entry.pk).update(
                    summary=entry.summary.replace(f"{allowed:%d/%m/%Y}", f"{due:%d/%m/%Y}"),
                    data={**entry.data, "due_on": due.isoformat()},
                )

    def _answer(self, key: str, issue: Issue, at: dt.datetime) -> None:
        spec = opinions.ANSWERS[key]
        asked = [e.item.pk for e in self.entries
                 if e.matter["key"] == key and e.channel == opinions.PUBLIC and e.day <= at.date()]
        self._stamp(at, issue_services.publish_answer, user=self.office, title=spec["title"],
                    body=spec["body"], kind=spec["kind"], issue_ids=[issue.pk],
                    item_ids=asked[:5], answering_unit=self.units["ubnd-phuong"])

    def _link_streams(self) -> None:
        """The latest reports' opinion streams point to the issues they summarise."""
        months = [key.code for key in self.b.keys[-2:]]
        streams = (OpinionStream.objects.filter(report__period__code__in=months)
                   .select_related("report").order_by("report__period__code", "report_id",
                                                      "position"))
        linked = 0
        for stream in streams:
            text = fold(stream.summary)
            found = [self.main[key] for key, m in self.matters.items()
                     if key in self.main and any(w in text for w in m["stream_words"])]
            if not found or self.rng.random() < 0.5:
                continue
            live = [Issue.objects.get(pk=i.pk) for i in found[:2]]
            self._stamp(self.b.now, reporting_services.link_stream_issues, user=self.office,
                        stream=stream, issues=live)
            linked += 1
            if linked >= 24:
                return

    def _close_quiet_issues(self) -> None:
        """Issues nobody followed and nobody raised for two months were closed by the office a
        few weeks after their last item (the history before the demo's last weeks)."""
        quiet = (Issue.objects.filter(status=Issue.Status.DETECTED, merged_into__isnull=True,
                                      last_seen_on__lt=self._day(self.CLOSE_AFTER_DAYS))
                 .order_by("last_seen_on", "pk"))
        for issue in quiet:
            day = min(issue.last_seen_on + dt.timedelta(days=self.rng.randint(14, 40)),
                      self._day(1))
            self._stamp(self._at(day), issue_services.change_status, user=self.office,
                        issue=issue, to_status=Issue.Status.CLOSED, note=STEP_NOTES["quiet"],
                        expected_version=None)

    def _issue_times(self) -> None:
        """An issue was created with its first item and last changed with its last event."""
        for issue_id, first, last in (IssueEvent.objects.values_list("issue_id")
                                      .annotate(first=Min("at"), last=Max("at"))
                                      .order_by("issue_id")):
            Issue.objects.filter(pk=issue_id).update(created_at=first, updated_at=last)


ANSWERED_MATTERS = {key for key, m in ((m["key"], m) for m in opinions.MATTERS)
                    if any(step[0] == "answer" for step in m["plan"]["steps"])}
STEP_NOTES = {
    "watch": "Giao cộng tác viên và các chi bộ khu dân cư tiếp tục nắm tình hình.",
    "resolve": "Đơn vị chịu trách nhiệm báo cáo đã xử lý xong, đề nghị trả lời nhân dân.",
    "close": "Không còn ý kiến mới sau khi xử lý, trả lời; đóng vấn đề.",
    "quiet": "Không còn ý kiến mới; đã nắm và giải thích tại cơ sở, đóng vấn đề.",
}


def _strip_marks(text: str) -> str:
    """The text as typed without a Vietnamese keyboard: no diacritics, case kept."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def _teencode(text: str) -> str:
    words = text.split(" ")
    return " ".join(opinions.TEENCODE.get(word, word) for word in words)
