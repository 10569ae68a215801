"""``longdan monitor``: source add, fetch --json, export, against the local server."""

from __future__ import annotations

import json

import pytest

from core.models import AuditEntry
from longdan.commands import main
from monitoring.models import Mention, Source
from monitoring.tests.server import FIXTURES

pytestmark = pytest.mark.django_db

RSS = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Báo</title>
<link>{home}</link><item><title>Đường ven sông</title><link>{link}</link>
<pubDate>Fri, 20 Nov 2026 08:00:00 +0700</pubDate></item></channel></rss>"""


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def feed(site, allow_local):
    site.add("/bai/1", (FIXTURES / "article.html").read_bytes())
    site.add(
        "/rss.xml",
        RSS.format(home=site.url("/"), link=site.url("/bai/1?utm_source=rss")),
        content_type="application/rss+xml",
        headers={"ETag": '"v1"'},
    )
    return site


def test_add_detects_the_kind_fetch_then_export(capsys, feed, tmp_path):
    code, out, err = run(
        capsys,
        "monitor",
        "source",
        "add",
        "--name",
        "Báo mẫu",
        "--url",
        feed.url("/rss.xml?utm_source=x"),
    )
    assert code == 0, err
    source = Source.objects.get()
    assert source.kind == "rss" and source.url == feed.url("/rss.xml")
    assert "Đã thêm nguồn tin 'Báo mẫu' (RSS)" in out
    entry = AuditEntry.objects.get(object_type="monitoring.source")
    assert entry.action == "create" and entry.object_id == str(source.pk)

    code, out, err = run(capsys, "monitor", "fetch", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert (result["new"], result["duplicates"], result["errors"]) == (1, 0, 0)
    assert result["sources"]["Báo mẫu"]["new"] == 1

    code, out, _ = run(capsys, "monitor", "fetch")
    assert code == 0 and "Tổng cộng: 0 tin mới, 0 tin trùng, 0 lỗi." in out
    assert feed.statuses("/rss.xml")[-1] == 304

    target = tmp_path / "tin.jsonl"
    code, out, err = run(capsys, "monitor", "export", "--out", str(target))
    assert code == 0, err
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 1
    row = rows[0]
    assert row["url"] == feed.url("/bai/1")
    assert row["source"] == "Báo mẫu" and row["relevance"] == "ward"
    assert row["story_id"] == Mention.objects.get().story_id
    assert row["published_at"].startswith("2026-11-20")
    assert set(row) >= {"title", "text", "relevance_score", "places", "topic", "attitude", "issue"}
    exported = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert exported.data == {"rows": 1, "personal": True, "via": "cli"}


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (
            ["monitor", "source", "add", "--name", "X", "--url", "ftp://x.vn/a", "--kind", "rss"],
            "Địa chỉ",
        ),
        (
            ["monitor", "source", "add", "--name", " ", "--url", "http://x.vn/", "--kind", "rss"],
            "Tên nguồn",
        ),
        (
            [
                "monitor",
                "source",
                "add",
                "--name",
                "X",
                "--url",
                "http://x.vn/",
                "--kind",
                "tiktok",
            ],
            "lựa chọn không hợp lệ",
        ),
        (["monitor", "source", "add", "--name", "X", "--url", "http://127.0.0.1:9/"], "nội bộ"),
        (["monitor", "export", "--out", "tin.csv"], ".jsonl"),
    ],
)
def test_bad_input_is_one_vietnamese_line(capsys, settings, argv, fragment):
    settings.LONGDAN_MONITOR_ALLOWED_PRIVATE_HOSTS = []
    code, _out, err = run(capsys, *argv)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Lỗi: ") and fragment in lines[0], err


def test_duplicate_source_name_refused(capsys, feed):
    Source.objects.create(name="Báo mẫu", url=feed.url("/rss.xml"), kind="rss")
    code, _out, err = run(
        capsys,
        "monitor",
        "source",
        "add",
        "--name",
        "Báo mẫu",
        "--url",
        feed.url("/rss.xml"),
        "--kind",
        "rss",
    )
    assert code == 2 and "đã có nguồn" in err
