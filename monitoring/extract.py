"""What a fetched body says (no Django import): the entries of an RSS/Atom feed (feedparser), the
addresses of a sitemap, and an article's title, date and text (trafilatura).

trafilatura keeps the article and drops the menus, "tin liên quan", comments and footer; its
author field is read by nobody here (an author is never stored by name).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import defusedxml.ElementTree as SafeET
import feedparser
import trafilatura

__all__ = ["Article", "Entry", "ExtractError", "article", "feed_entries", "sitemap_urls"]

# feedparser's bozo flag for an encoding mismatch or a feed served as text/html: the feed itself
# is well-formed, so these are not errors.
_HARMLESS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
_HTML = ("text/html", "application/xhtml+xml", "")


class ExtractError(Exception):
    """A body that cannot be read; the message is Vietnamese."""


@dataclass(frozen=True)
class Entry:
    url: str
    title: str
    published_at: dt.datetime | None


@dataclass(frozen=True)
class Article:
    title: str
    text: str
    published_at: dt.datetime | None


def _struct_time(value) -> dt.datetime | None:
    if not value:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(value), tz=dt.UTC)


def feed_entries(body: bytes, base_url: str, headers: dict[str, str] | None = None) -> list[Entry]:
    """The entries of an RSS or Atom feed; ExtractError for a broken feed (feedparser's bozo)."""
    parsed = feedparser.parse(
        body, response_headers={**(headers or {}), "content-location": base_url}
    )
    problem = parsed.get("bozo_exception")
    if parsed.get("bozo") and not isinstance(problem, _HARMLESS):
        raise ExtractError(f"Nguồn tin không đúng định dạng RSS/Atom: {problem}")
    if not parsed.get("version") and not parsed.entries:
        raise ExtractError("Địa chỉ không phải một nguồn tin RSS/Atom.")
    entries = []
    for item in parsed.entries:
        link = item.get("link") or ""
        if not link:
            continue
        published = item.get("published_parsed") or item.get("updated_parsed")
        entries.append(
            Entry(
                url=link,
                title=(item.get("title") or "").strip(),
                published_at=_struct_time(published),
            )
        )
    return entries


def feed_kind(body: bytes) -> str:
    """``rss`` or ``atom`` for a feed, ``sitemap`` for a sitemap, ``page`` otherwise (the kind a
    source gets when the office leaves it out)."""
    head = body[:2048].lstrip().lower()
    if b"<urlset" in head or b"<sitemapindex" in head:
        return "sitemap"
    if b"<feed" in head:
        return "atom"
    if b"<rss" in head or b"<rdf:rdf" in head:
        return "rss"
    return "page"


def sitemap_urls(body: bytes) -> list[str]:
    """The ``<loc>`` addresses of a sitemap (or a sitemap index)."""
    try:
        root = SafeET.fromstring(body)
    except Exception as exc:  # noqa: BLE001 - defusedxml raises several kinds
        raise ExtractError(f"Sơ đồ trang (sitemap) không đọc được: {exc}") from exc
    return [el.text.strip() for el in root.iter() if el.tag.endswith("loc") and el.text]


def _decode(body: bytes, headers: dict[str, str]) -> str:
    charset = ""
    for part in headers.get("content-type", "").split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset":
            charset = value.strip("\"' ")
    for encoding in (charset, "utf-8"):
        if not encoding:
            continue
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    raise ExtractError("Trang dùng bảng mã không đọc được (không phải UTF-8).")


def _date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def article(body: bytes, url: str, headers: dict[str, str] | None = None) -> Article:
    """Title, date and text of an article page (boilerplate dropped)."""
    headers = headers or {}
    content_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if content_type not in _HTML:
        raise ExtractError(f"Địa chỉ không phải trang tin (kiểu nội dung '{content_type}').")
    html = _decode(body, headers)
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
    )
    text = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if not text:
        raise ExtractError("Không tìm thấy nội dung bài viết trên trang.")
    title = (document.title or "").strip()
    if title and text.startswith(title):
        text = text[len(title) :].lstrip()  # trafilatura repeats the heading as the first line
    return Article(title=title, text=text, published_at=_date(document.date))
