"""Press and social-network monitoring (issue 9): sources, the mentions fetched from them, the
stories that group syndicated copies, and the places the office adds to the ward's gazetteer.

A mention is stored once per canonical address (tracking parameters stripped, redirects followed)
and only with masked text; an author is never stored by name: a post or comment imported from a
social-network export keeps only a keyed hash of its author (``monitoring.imports``), to count
distinct voices.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from core.models import Attitude


class Source(models.Model):
    """A news site's feed, a sitemap, a single page, or a page whose posts arrive as exports."""

    class Kind(models.TextChoices):
        RSS = "rss", "RSS"
        ATOM = "atom", "Atom"
        SITEMAP = "sitemap", "Sơ đồ trang (sitemap)"
        PAGE = "page", "Trang đơn"
        EXPORT = "export", "Tệp xuất từ mạng xã hội"

    name = models.CharField("tên nguồn", max_length=200, unique=True)
    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    url = models.URLField("địa chỉ", max_length=2000, blank=True)
    fetch_interval_minutes = models.PositiveIntegerField("chu kỳ lấy tin (phút)", default=60)
    active = models.BooleanField("đang theo dõi", default=True)
    # When the worker last took it (claimed with a conditional update, so two workers never
    # fetch one source in the same tick).
    last_fetch_at = models.DateTimeField("lần lấy tin gần nhất", null=True, blank=True)
    last_success_at = models.DateTimeField("lần lấy tin thành công gần nhất", null=True, blank=True)
    last_error = models.CharField("lỗi gần nhất", max_length=500, blank=True)
    last_error_at = models.DateTimeField("thời điểm lỗi gần nhất", null=True, blank=True)
    # Conditional GET: what the server said last time (a 304 then stores nothing).
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    # An export source's columns, mapped once: {"text": "message", "time": "created_time", …}
    # (keys: ``monitoring.exportfile.FIELDS``), used by every later import of the source.
    column_map = models.JSONField("cột của tệp xuất", default=dict, blank=True)
    # Back-off: consecutive failed fetches, and the earliest time the worker tries again
    # (``monitoring.services.backoff``); a success resets both.
    failures = models.PositiveIntegerField("số lần lỗi liên tiếp", default=0)
    retry_at = models.DateTimeField("thử lại sau", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "nguồn tin"
        verbose_name_plural = "nguồn tin"

    def __str__(self) -> str:
        return self.name

    def due(self, now) -> bool:
        """Whether its fetch interval has passed since the worker last took it, and the back-off
        after its failures (if any) is over."""
        if self.retry_at is not None and self.retry_at > now:
            return False
        interval = dt.timedelta(minutes=self.fetch_interval_minutes)
        return self.last_fetch_at is None or self.last_fetch_at + interval <= now


class Place(models.Model):
    """A street, landmark or local name the office adds to the ward's gazetteer."""

    class Kind(models.TextChoices):
        STREET = "street", "Đường, phố"
        LANDMARK = "landmark", "Địa điểm, công trình"
        OTHER = "other", "Tên gọi khác"

    name = models.CharField("tên địa danh", max_length=200, unique=True)
    kind = models.CharField("loại", max_length=10, choices=Kind.choices, default=Kind.STREET)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "địa danh"
        verbose_name_plural = "địa danh"

    def __str__(self) -> str:
        return self.name


class Story(models.Model):
    """One story told on several sites: the syndicated, retitled, trimmed copies share it."""

    first_mention = models.ForeignKey(
        "monitoring.Mention",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="tin đầu tiên",
    )
    first_seen_at = models.DateTimeField("thời điểm xuất hiện đầu tiên")
    mention_count = models.PositiveIntegerField("số tin", default=0)
    site_count = models.PositiveIntegerField("số trang đăng", default=0)
    # The issue the story was tied to (``monitoring.linking``): its mentions follow it.
    issue = models.ForeignKey(
        "issues.Issue",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
        verbose_name="vụ việc",
    )

    class Meta:
        ordering = ["-first_seen_at"]
        verbose_name = "câu chuyện"
        verbose_name_plural = "câu chuyện"

    def __str__(self) -> str:
        return f"Câu chuyện {self.pk} ({self.mention_count} tin, {self.site_count} trang)"


class Mention(models.Model):
    """An article, post or comment about (perhaps) the ward, stored once per canonical URL."""

    class Relevance(models.TextChoices):
        WARD = "ward", "Về phường"
        CITY = "city", "Về thành phố"
        NONE = "none", "Không liên quan"

    url = models.CharField("địa chỉ", max_length=2000, unique=True)
    site = models.CharField("trang", max_length=255, db_index=True)
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentions",
        verbose_name="nguồn",
    )
    title = models.CharField("tiêu đề", max_length=500, blank=True)
    published_at = models.DateTimeField("thời điểm đăng", null=True, blank=True, db_index=True)
    fetched_at = models.DateTimeField("thời điểm lấy về", auto_now_add=True, db_index=True)
    text = models.TextField("nội dung (đã che thông tin cá nhân)")
    masked_kinds = models.JSONField(default=list, blank=True)
    relevance = models.CharField(
        "mức liên quan",
        max_length=4,
        choices=Relevance.choices,
        default=Relevance.NONE,
        db_index=True,
    )
    relevance_score = models.FloatField("điểm liên quan", default=0.0)
    places = models.JSONField("địa danh khớp", default=list, blank=True)
    story = models.ForeignKey(
        Story,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentions",
        verbose_name="câu chuyện",
    )
    signature = models.BinaryField(default=b"", editable=False)
    topic = models.ForeignKey(
        "core.Topic",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="chủ đề",
    )
    attitude = models.CharField("thái độ", max_length=20, choices=Attitude.choices, blank=True)
    issue = models.ForeignKey(
        "issues.Issue",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentions",
        verbose_name="vụ việc",
    )
    # From an export: HMAC-SHA256 of the author's normalised name under a key of the
    # installation (``monitoring.imports.author_hash``), only ever counted; never the name.
    author_hash = models.CharField("mã người viết", max_length=64, blank=True, editable=False)
    reactions = models.PositiveIntegerField("lượt tương tác", null=True, blank=True)
    # Title and text folded (no diacritics, lower case), one space between words and one at each
    # end (``monitoring.reading.search_document``): the page's search matches whole words in the
    # database (" hoa binh "), with or without diacritics typed. Set when saved or masked again.
    folded = models.TextField(default="", blank=True, editable=False)
    # When the worker grouped it and matched it against the watch-list (``monitoring.linking``):
    # a mention is looked at once.
    processed_at = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["-fetched_at", "-pk"]
        verbose_name = "tin, bài"
        verbose_name_plural = "tin, bài"

    def __str__(self) -> str:
        return self.title or self.url

    def save(self, *args, **kwargs):
        from monitoring.reading import search_document

        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"title", "text"} & set(update_fields):
            self.folded = search_document(self.title, self.text)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "folded"}
        super().save(*args, **kwargs)

    @property
    def link(self) -> str:
        """Its address when it has one (a row of an export without a link has a made-up one)."""
        return self.url if self.url.startswith(("http://", "https://")) else ""


class MentionBand(models.Model):
    """One of a mention's band keys (``monitoring.stories``): finds its story's candidates.

    ``fetched_at`` is the mention's, copied so that the look-up reads one index range per key,
    (key, time) from the story window's start, instead of every mention of the year sharing a
    key by chance. Whoever moves a mention's ``fetched_at`` (the demo dates its fetches back)
    moves its bands' too."""

    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="bands")
    key = models.BigIntegerField()
    fetched_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["key", "fetched_at"], name="mention_band_key_time")]
        verbose_name = "khóa so khớp tin"
        verbose_name_plural = "khóa so khớp tin"

    def __str__(self) -> str:
        return f"{self.mention_id}:{self.key}"


class ExportUpload(models.Model):
    """An export file read for the office's preview, waiting for "import": its rows already in
    stored form (texts masked, authors hashed; the file itself is not kept). One per user; it is
    deleted when imported or cancelled, and after a day.

    A large file is imported by the background worker (``monitoring.tasks.import_upload``): the
    row then stays, ``queued`` → ``running`` (``done`` counts the rows handled) → ``done`` with
    the counts in ``result`` and its rows emptied, or ``failed``, so the page shows the progress."""

    class State(models.TextChoices):
        PREVIEW = "preview", "Chờ xem trước"
        QUEUED = "queued", "Chờ nhập"
        RUNNING = "running", "Đang nhập"
        DONE = "done", "Đã nhập"
        FAILED = "failed", "Nhập không thành công"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    headers = models.JSONField(default=list)  # the file's column names, to change the mapping
    column_map = models.JSONField(default=dict)  # the mapping the rows were read with
    rows = models.JSONField(default=list)  # ``monitoring.imports.Reading.rows``
    errors = models.JSONField(default=list)  # Vietnamese, one per refused row, no cell value
    state = models.CharField(max_length=10, choices=State.choices, default=State.PREVIEW)
    total = models.PositiveIntegerField(default=0)  # rows to import, kept once rows are emptied
    done = models.PositiveIntegerField(default=0)  # rows handled so far in the background
    result = models.JSONField(default=dict, blank=True)  # Tally.as_dict(), or {"error": "…"}

    class Meta:
        verbose_name = "tệp xuất chờ nhập"
        verbose_name_plural = "tệp xuất chờ nhập"

    def __str__(self) -> str:
        return f"Tệp xuất chờ nhập vào {self.source_id} ({len(self.rows)} dòng)"


class Misinformation(models.Model):
    """The office's finding that a mention, a story or an issue carries distorted or false
    information (R9), and the correction the office published.

    Exactly one of ``mention``, ``story``, ``issue`` is set, and each has at most one finding.
    Its volume before and after the correction is read from the mentions it covers
    (``monitoring.page_selectors.misinformation_volume``)."""

    class Verdict(models.TextChoices):
        FALSE = "false", "Thông tin sai sự thật"
        DISTORTED = "distorted", "Thông tin xuyên tạc, sai lệch"

    verdict = models.CharField("kết luận", max_length=10, choices=Verdict.choices)
    mention = models.OneToOneField(
        Mention,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="misinformation",
        verbose_name="tin, bài",
    )
    story = models.OneToOneField(
        Story,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="misinformation",
        verbose_name="câu chuyện",
    )
    issue = models.OneToOneField(
        "issues.Issue",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="misinformation",
        verbose_name="vấn đề",
    )
    note = models.TextField("nhận định của Ban", max_length=4000)
    correction_url = models.URLField("đường dẫn bài đính chính", max_length=2000, blank=True)
    correction_text = models.TextField("nội dung đính chính", max_length=8000, blank=True)
    corrected_on = models.DateField("ngày đính chính", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "thông tin sai sự thật"
        verbose_name_plural = "thông tin sai sự thật"
        constraints = [
            models.CheckConstraint(
                name="misinformation_one_target",
                condition=(
                    models.Q(mention__isnull=False, story__isnull=True, issue__isnull=True)
                    | models.Q(mention__isnull=True, story__isnull=False, issue__isnull=True)
                    | models.Q(mention__isnull=True, story__isnull=True, issue__isnull=False)
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()}: {self.target_label}"

    @property
    def target_label(self) -> str:
        if self.mention_id:
            return f"Tin “{self.mention}”"
        if self.story_id:
            return f"Câu chuyện số {self.story_id}"
        return f"Vấn đề {self.issue.code}" if self.issue else ""


class WatchTerm(models.Model):
    """A topic or a keyword the office watches for (never a person: ``monitoring.watch``)."""

    class Kind(models.TextChoices):
        TOPIC = "topic", "Chủ đề"
        KEYWORD = "keyword", "Từ khóa"

    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    topic = models.ForeignKey(
        "core.Topic",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="chủ đề",
    )
    phrase = models.CharField("từ khóa", max_length=100, blank=True)
    # The phrase without diacritics, lower case (``core.text.fold``): what texts are matched on.
    folded = models.CharField(max_length=100, blank=True, editable=False)
    active = models.BooleanField("đang theo dõi", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-active", "kind", "folded", "pk"]
        verbose_name = "mục theo dõi"
        verbose_name_plural = "danh sách theo dõi"

    def __str__(self) -> str:
        if self.kind == self.Kind.TOPIC:
            return f"Chủ đề “{self.topic.name if self.topic else '?'}”"
        return f"Từ khóa “{self.phrase}”"


class WatchHit(models.Model):
    """A relevant mention that matched a watch term: one per term and story (the syndicated
    copies of a story are told once), each told to the office in the app."""

    term = models.ForeignKey(WatchTerm, on_delete=models.CASCADE, related_name="hits")
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="+")
    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "tin khớp danh sách theo dõi"
        verbose_name_plural = "tin khớp danh sách theo dõi"
        constraints = [
            models.UniqueConstraint(fields=["term", "story"], name="watch_hit_once_per_story")
        ]

    def __str__(self) -> str:
        return f"{self.term}: {self.mention}"
