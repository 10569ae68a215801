"""The monthly reports of the demo window through ``reporting.services`` (mostly on time, some
late, some missing, a few returned for revision), moved back to when they are supposed to have
happened; and what the reports say."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.models import AuditEntry, Notification, SocialGroup, Topic
from core.text import fold
from longdan.demo import names
from longdan.demo.world import _Unit
from orgs.models import Area
from reporting import cache as compliance_cache
from reporting import services
from reporting.models import ReportVersion, UnitReport
from reporting.periods import PeriodKey


@dataclass
class _Plan:
    """When one unit's report for one month is drafted, submitted, returned and resubmitted."""

    outcome: str  # "on_time" | "late" | "draft" | "none"
    created: dt.datetime | None = None
    submitted: dt.datetime | None = None
    returned: dt.datetime | None = None
    resubmitted: dt.datetime | None = None



class _Reports:
    """The monthly reports of ``_Builder`` (mixed into it)."""

    # --- reports -------------------------------------------------------------------------------

    def _month(self, key: PeriodKey) -> None:
        period = services.ensure_period(key)
        for unit in self.units:
            if not unit.row.is_open_between(key.start, key.end):
                continue
            outcome = self._run(unit, key, period, self._plan(unit, key))
            if key in self.window:  # the current month is still open: not counted
                self.outcomes[outcome] += 1

    def _at(self, day: dt.date, start_hour: int = 7, end_hour: int = 21) -> dt.datetime:
        hour = self.rng.randint(start_hour, end_hour)
        return dt.datetime.combine(day, dt.time(hour, self.rng.randrange(60)), tzinfo=self.tz)

    def _plan(self, unit: _Unit, key: PeriodKey) -> _Plan:
        deadline = self.template.deadline_of(key)
        if unit.row.closed_on and unit.row.closed_on <= key.end:
            return _Plan("none")  # merged during the month: its last report never came
        if self._heard_areas(unit, key) == [] and unit.areas:
            return _Plan("none")  # the silent cell: nobody there reports any more
        if unit.reporter is None:
            weights = {"on_time": 5, "late": 40, "draft": 0, "none": 55}
        else:
            late, missing = {"good": (4, 3), "average": (13, 7), "poor": (26, 16)}[unit.discipline]
            weights = {"on_time": 100 - late - missing, "late": late,
                       "draft": missing / 2, "none": missing / 2}
        outcome = self.rng.choices(list(weights), list(weights.values()))[0]
        plan = _Plan(outcome, created=self._at(key.start + dt.timedelta(self.rng.randint(4, 13))))
        if outcome == "on_time":
            day = min(self.rng.choices(range(15, 26), [1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 6])[0],
                      deadline.day)
            plan.submitted = self._at(key.start.replace(day=day), 7, 22)
        elif outcome == "late":
            plan.submitted = self._at(deadline + dt.timedelta(self.rng.randint(1, 16)))
        if plan.submitted and self.rng.random() < 0.08:
            plan.returned = self._at(plan.submitted.date() + dt.timedelta(self.rng.randint(1, 3)),
                                     8, 16)
            if self.rng.random() < 0.75:
                plan.resubmitted = self._at(
                    plan.returned.date() + dt.timedelta(self.rng.randint(1, 4)), 8, 21
                )
        return plan

    def _run(self, unit: _Unit, key: PeriodKey, period, plan: _Plan) -> str:
        """Carry the plan out through the services, up to ``now``; return what came of it."""
        if plan.outcome == "none" or plan.created is None or plan.created >= self.now:
            return "none"
        writer = unit.reporter or self.office_user
        streams, sections = self._content(unit, key)
        unfinished = plan.submitted is None or plan.submitted >= self.now
        # A quarter of the reports start as a partial draft completed later; the rest (and the
        # office typing in a paper report) are entered at once, close to submitting.
        if unfinished or self.rng.random() < 0.25:
            report = self._call(plan.created, services.save_draft, user=writer,
                                template=self.template, period=period, unit=unit.row,
                                sections={"tu_tuong": sections["tu_tuong"]}, streams=streams,
                                expected_version=None)
            self._stamp(report, created_at=plan.created, updated_at=plan.created)
            if unfinished:
                return "draft"
            edited = max(plan.created,
                         plan.submitted - dt.timedelta(minutes=self.rng.randint(5, 90)))
            report = self._call(edited, services.save_draft, user=writer, template=self.template,
                                period=period, unit=unit.row, sections=sections, streams=None,
                                expected_version=report.version)
        else:
            edited = plan.submitted - dt.timedelta(minutes=self.rng.randint(5, 600))
            report = self._call(edited, services.save_draft, user=writer, template=self.template,
                                period=period, unit=unit.row, sections=sections, streams=streams,
                                expected_version=None)
            self._stamp(report, created_at=edited, updated_at=edited)
        report = self._call(plan.submitted, services.submit_report, user=writer, report=report,
                            expected_version=report.version)
        self._stamp(report, updated_at=plan.submitted, first_submitted_at=plan.submitted,
                    submitted_at=plan.submitted, **self._read_by_office(unit, plan.submitted))
        outcome = "on_time" if plan.outcome == "on_time" else "late"
        if plan.returned is None or plan.returned >= self.now:
            return outcome
        report = self._call(plan.returned, services.return_report, user=self.office_user,
                            report=report, reason=self.rng.choice(names.RETURN_REASONS))
        self._stamp(report, updated_at=plan.returned, returned_at=plan.returned)
        if plan.resubmitted is None or plan.resubmitted >= self.now:
            return "returned"
        revised = dict(sections)
        section, addition = self.rng.choice(names.REVISIONS)
        revised[section] = (revised.get(section) or "") + "\n" + addition
        report = self._call(plan.resubmitted, services.save_draft, user=writer,
                            template=self.template, period=period, unit=unit.row,
                            sections=revised, streams=None, expected_version=report.version)
        report = self._call(plan.resubmitted, services.submit_report, user=writer, report=report,
                            expected_version=report.version)
        self._stamp(report, updated_at=plan.resubmitted, submitted_at=plan.resubmitted,
                    **self._read_by_office(unit, plan.resubmitted))
        return outcome + "+resubmitted"

    def _read_by_office(self, unit: _Unit, submitted: dt.datetime) -> dict:
        """The office opens a report two to five days after it arrives (the inbox, issue 17), so
        only the last days' submissions wait there. No draw from ``self.rng``: the rest of the demo
        stays what it was."""
        seen = submitted + dt.timedelta(hours=48 + 36 * (unit.row.pk % 3))
        return {"office_seen_at": seen} if seen < self.now else {}

    def _call(self, at: dt.datetime, service, **kwargs):
        """Run a service; move the audit entries, versions and notifications it wrote to ``at``.

        Rows the services stamp with the real clock are the only ones at or after ``loading``:
        everything already moved lies in the past (``self.now`` never passes the real clock).
        """
        result = service(**kwargs)
        AuditEntry.objects.filter(at__gte=self.loading).update(at=at)
        ReportVersion.objects.filter(report_id=result.pk, at__gte=self.loading).update(at=at)
        if service is services.return_report:
            Notification.objects.filter(created_at__gte=self.loading).update(created_at=at)
        return result

    def _stamp(self, report: UnitReport, **times: dt.datetime) -> None:
        UnitReport.objects.filter(pk=report.pk).update(**times)
        compliance_cache.invalidate()  # a bulk update sends no signal the cache listens to

    # --- what reports say ----------------------------------------------------------------------

    def _heard_areas(self, unit: _Unit, key: PeriodKey) -> list[Area]:
        """The unit's areas a report of month ``key`` may name: none silent once the silence
        began (a stream counts on its month's last day)."""
        if key.end < self.silent_from:
            return list(unit.areas)
        silent = {area.pk for area in self.silent_areas}
        return [area for area in unit.areas if area.pk not in silent]

    def _stream_fits(self, stream: dict, unit: _Unit, key: PeriodKey) -> bool:
        """A stream of the unit's kind; the recent ones (the rising topic, the latent worry)
        only in the last months and where they are heard."""
        if unit.group not in stream["groups_of_units"]:
            return False
        if stream.get("former") and stream["former"] != unit.former_ward:
            return False
        last = stream.get("last_months")
        return last is None or key in self.keys[-last:]

    def _pick_streams(self, unit: _Unit, key: PeriodKey) -> list[dict]:
        pool = [s for s in names.STREAMS if self._stream_fits(s, unit, key)]
        weights = []
        for stream in pool:
            weight = stream["weight"]
            weight *= 2.5 if key.number in stream.get("boost_months", ()) else 1
            weight *= 3 if stream["key"] in unit.pet_streams else 1
            weights.append(weight)
        count = min(len(pool), self.rng.choices([2, 3, 4, 5], [4, 4, 2, 1])[0])
        chosen = []
        while len(chosen) < count:
            stream = self.rng.choices(pool, weights)[0]
            if stream not in chosen:
                chosen.append(stream)
        return chosen

    def _fill(self, text: str, unit: _Unit, area: Area | None) -> str:
        schools = [n.removeprefix("Chi bộ ") for _, n, _, g in names.OTHER_UNITS if g == "school"]
        school = unit.row.name.removeprefix("Chi bộ ") if unit.group == "school" else (
            self.rng.choice(schools))
        return text.format(
            area=area.name if area else "địa bàn phường",
            former=unit.former_ward,
            place=unit.place, school=school,
        )

    def _content(self, unit: _Unit, key: PeriodKey):
        chosen = self._pick_streams(unit, key)
        rows = []
        heard = self._heard_areas(unit, key)
        for stream in chosen:
            area = self.rng.choice(heard) if heard else None
            summary = self._fill(self.rng.choice(stream["summaries"]), unit, area)
            group_names = self.rng.sample(stream["social_groups"], self.rng.randint(1, 2))
            rows.append((stream, services.StreamInput(
                topic_id=self._topic(stream["topic"]).pk,
                summary=summary,
                attitude=self._attitude(summary, stream["attitudes"]),
                reach=self._weighted(stream["reaches"]),
                channel=self._weighted(stream["channels"]),
                area_id=area.pk if area and "{area}" in " ".join(stream["summaries"]) else None,
                social_group_ids=tuple(self._group(name).pk for name in group_names),
                latent=self.rng.random() < stream["latent"],
            )))
        return [row for _, row in rows], self._sections(unit, key, rows)

    def _weighted(self, pairs: list[tuple[str, int]]) -> str:
        return self.rng.choices([code for code, _ in pairs], [w for _, w in pairs])[0]

    def _attitude(self, summary: str, pairs: list[tuple[str, int]]) -> str:
        """An attitude that agrees with what the sentence says, drawn from the stream's weights."""
        text = fold(summary)
        if "chua dong thuan" in text:
            return self.rng.choice(["buc_xuc", "phan_doi"])
        positive = any(w in text for w in ("phan khoi", "dong tinh", "tin tuong", "danh gia"))
        worried = any(w in text for w in ("tuy nhien", "ban khoan", "lo lang", "lo ngai", "mong"))
        if positive and not worried:
            return "dong_tinh"
        if "buc xuc" in text:
            return "buc_xuc"
        if positive:
            return "ban_khoan"
        negative = [(code, w) for code, w in pairs if code != "dong_tinh"] or [("ban_khoan", 1)]
        return self._weighted(negative)

    def _topic(self, name: str) -> Topic:
        if name not in self.topics:
            self.topics[name] = Topic.objects.create(name=name)
        return self.topics[name]

    def _group(self, name: str) -> SocialGroup:
        if name not in self.groups:
            self.groups[name] = SocialGroup.objects.create(name=name)
        return self.groups[name]

    def _sections(self, unit: _Unit, key: PeriodKey, rows) -> dict[str, str]:
        label = key.label  # "Tháng 10/2026"
        if unit.group == "residential":
            where = "trên địa bàn " + " và ".join(a.name for a in unit.areas)
        else:
            where = "trong đơn vị"
        opening = self.rng.choice(names.OPENINGS[unit.group]).format(
            m=label, m_lower=label[0].lower() + label[1:], where=where, members=unit.members
        )
        tu_tuong = " ".join([opening, names.MONTH_EVENTS[key.number]])
        worried = [s for s, r in rows if r.attitude != "dong_tinh"]
        if worried:
            topics = sorted({s["topic"].lower() for s in worried})
            tu_tuong += (" Tuy nhiên, một bộ phận nhân dân còn băn khoăn về các vấn đề "
                         + ", ".join(topics) + ".")
        visible = [r for _, r in rows if not r.latent] or [rows[0][1]]
        noi_bat = "Dư luận trong tháng tập trung vào các vấn đề sau:\n" + "\n".join(
            f"{n}. {r.summary}" for n, r in enumerate(visible, start=1)
        )
        latent = [r for _, r in rows if r.latent]
        if latent:
            tiem_an = ("Cần tiếp tục theo dõi: " + " ".join(r.summary for r in latent)
                       + " Nếu không được giải thích, giải quyết kịp thời, vấn đề có thể lan rộng,"
                       " phát sinh đơn thư hoặc tụ tập đông người.")
        else:
            tiem_an = self.rng.choice(names.NO_LATENT)
        tiem_an += " " + names.FORECASTS[self._forecast(key.number % 12 + 1)]
        proposals = list(dict.fromkeys(s["proposal"] for s, r in rows if r.attitude != "dong_tinh"))
        kien_nghi = "\n".join(f"{n}. {p}" for n, p in enumerate(proposals, start=1)) or (
            names.NO_PROPOSAL)
        return {"tu_tuong": tu_tuong, "du_luan_noi_bat": noi_bat, "du_luan_tiem_an": tiem_an,
                "kien_nghi": kien_nghi}

    @staticmethod
    def _forecast(next_month: int) -> str:
        if next_month in (8, 9):
            return "school"
        if next_month in (5, 6, 7, 10):
            return "rain"
        if next_month in (12, 1, 2):
            return "tet"
        return "default"
