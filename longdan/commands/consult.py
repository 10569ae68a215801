"""``longdan consult split DRAFT.docx [--json]``: the chương / điều / khoản / điểm found in a draft.

File-only (no database): anyone can check on a real draft what the app would let residents and
units comment on. ``--json`` prints ``{"chapters": [...], "articles": [{"number", "title",
"chapter", "clauses": [{"number", "text", "points": [{"number", "text"}]}], "text"}]}``; without
it, an outline. A file that is not a DOCX, is damaged or holds no article ends with ``Lỗi: …``
(exit 2).
"""

from __future__ import annotations

import json

from longdan.commands.parser import group, out, read_file, refusing


def register(commands) -> None:
    split = group(commands, "consult").add_parser(
        "split", help="tách dự thảo (.docx) thành chương, điều, khoản, điểm",
        description="Đọc dự thảo văn bản (.docx) và in cấu trúc tìm được: chương, điều (số, tên),"
        " khoản, điểm. Điều không chia khoản thì in nội dung của điều.",
    )
    split.add_argument("file", metavar="TỆP", help="dự thảo dạng .docx")
    split.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    split.set_defaults(handler=cmd_split, needs_django=False)


@refusing("consultations.splitting.DraftError")
def cmd_split(args) -> int:
    from consultations.splitting import split_docx

    draft = split_docx(read_file(args.file))
    if args.json:
        out(json.dumps(draft.as_dict(), ensure_ascii=False, indent=2))
        return 0
    for line in outline(draft):
        out(line)
    return 0


def outline(draft) -> list[str]:
    lines = []
    chapter = None
    titles = {c.number: c.title for c in draft.chapters}
    for article in draft.articles:
        if article.chapter != chapter:
            chapter = article.chapter
            lines.append(f"Chương {chapter}. {titles.get(chapter, '')}".rstrip(". "))
        lines.append(f"  Điều {article.number}. {article.title}".rstrip(". "))
        if not article.clauses:
            lines.append(f"    (không chia khoản; {len(article.text.split())} từ)")
        for clause in article.clauses:
            points = ", ".join(f"{p.number})" for p in clause.points)
            lines.append(f"    Khoản {clause.number}" + (f": điểm {points}" if points else ""))
    clauses = sum(len(a.clauses) for a in draft.articles)
    lines.append(f"Tổng cộng: {len(draft.chapters)} chương, {len(draft.articles)} điều,"
                 f" {clauses} khoản.")
    return lines
