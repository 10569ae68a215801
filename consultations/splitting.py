"""A Vietnamese legal draft split into chương / điều / khoản / điểm (pure: python-docx, no Django).

Vietnamese legal drafting (Luật Ban hành văn bản quy phạm pháp luật, Nghị định 30/2020/NĐ-CP)
writes its parts as plain text at the start of a paragraph:

* a chapter: "Chương I" (Roman or Arabic numerals, any case), its title on the same line after
  "." or ":" or on the next paragraph, in capitals ("QUY ĐỊNH CHUNG"); a "Mục 1" inside a chapter
  is a heading, not text;
* an article: "Điều 1. Phạm vi điều chỉnh" ("Điều 5a." in an amending text);
* a clause (khoản) of an article: "1. ", "2. ", numbered from 1 without a gap;
* a point (điểm) of a clause: "a) ", "b) ", … "đ) ", lettered in the Vietnamese order (a b c d
  đ e g h i k l m n o p q r s t u v x y: no f, j, w, z).

A paragraph that starts no part continues the part open before it (an article's text runs over
several paragraphs); a table inside an article is kept as text, one line a row, cells joined with
" | ". Numbering is only believed in sequence ("3." after khoản 1 is text, as is "1.500 đồng"),
so a quoted clause inside an amending article does not start a clause of its own. Everything
before the first article (the heading, the bases "Căn cứ …") is left out, and so is everything
after the text's end mark "./." or "Nơi nhận:". An article written without numbered clauses has
no clauses and its whole text in ``text``.

Known limit: numbering produced by Word's automatic lists is not in the paragraph's text and is not
seen; such a draft has to be saved with the numbers as text (or it finds no article).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import asdict, dataclass, field

from documents.archive import ArchiveError, check_archive, is_zip

OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Word 97-2003 (.doc)
MAX_DRAFT_BYTES = 20 * 1024 * 1024
POINT_LETTERS = "abcdđeghiklmnopqrstuvxy"
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}

# A heading's number is followed by a separator or by nothing but a title in capitals, so
# "Chương II quy định…" or "Mục 1 Chương II được sửa đổi…" in an article's text is not a heading.
_CHAPTER = re.compile(r"^chương\s+([IVXLCDM]+|\d+)(?!\w)\s*([.:\-–—])?\s*(.*)$", re.IGNORECASE)
_SECTION = re.compile(r"^(?:mục|tiểu mục)\s+(?:\d+|[IVXLCDM]+)(?!\w)\s*([.:\-–—])?\s*(.*)$",
                      re.IGNORECASE)
_ARTICLE = re.compile(r"^điều\s+(\d+[a-zđ]?)(?!\w)\s*(?:[.:\-–—]\s*(.*))?$", re.IGNORECASE)
_CLAUSE = re.compile(r"^(\d+)\s*\.\s*(?=\D)(\S.*)$")
_POINT = re.compile(rf"^([{POINT_LETTERS}])\s*\)\s*(.*)$")
_END_MARK = "./."
_RECIPIENTS = re.compile(r"^nơi nhận\s*:", re.IGNORECASE)


class DraftError(ValueError):
    """A draft that cannot be split; ``message`` is Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Point:
    number: str  # the letter: "a", "đ"
    text: str


@dataclass
class Clause:
    number: str  # "1", "2"
    text: str
    points: list[Point] = field(default_factory=list)


@dataclass
class Article:
    number: str  # "1", "5a"
    title: str
    chapter: str | None  # the chapter's number as written ("I", "2"), None without chapters
    clauses: list[Clause] = field(default_factory=list)
    text: str = ""  # an article's own text: all of it when it has no clauses, else its lead-in


@dataclass
class Chapter:
    number: str
    title: str


@dataclass
class Draft:
    articles: list[Article]
    chapters: list[Chapter] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The structure as ``longdan consult split --json`` prints it."""
        return {
            "chapters": [asdict(chapter) for chapter in self.chapters],
            "articles": [
                {
                    "number": article.number,
                    "title": article.title,
                    "chapter": article.chapter,
                    "clauses": [
                        {
                            "number": clause.number,
                            "text": clause.text,
                            "points": [asdict(point) for point in clause.points],
                        }
                        for clause in article.clauses
                    ],
                    "text": article.text,
                }
                for article in self.articles
            ],
        }


# --- reading the file ------------------------------------------------------------------------


def normalise_line(text: str) -> str:
    """NFC, one space between words, and the Icelandic "Ð" old Vietnamese fonts converted into
    "Đ" (it looks the same and would hide "Điều" from the patterns)."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\u00d0", "Đ").replace("\u00f0", "đ")
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def read_blocks(data: bytes) -> list[str | list[list[str]]]:
    """The body of a DOCX in document order: a paragraph's text, or a table's rows of cells.

    Refuses (``DraftError``) what is not a DOCX, an archive that would expand too far (the shared
    zip-bomb guard) and a damaged file, each in Vietnamese."""
    if not data:
        raise DraftError("Tệp rỗng: hãy chọn tệp dự thảo (.docx).")
    if len(data) > MAX_DRAFT_BYTES:
        raise DraftError(
            f"Tệp lớn {len(data) // (1024 * 1024)} MB, vượt giới hạn"
            f" {MAX_DRAFT_BYTES // (1024 * 1024)} MB của một dự thảo."
        )
    if data[:4] == OLE_MAGIC:
        raise DraftError(
            "Tệp là bản Word 97–2003 (.doc): hãy mở bằng Word, lưu thành .docx rồi tải lên lại."
        )
    if not is_zip(data):
        raise DraftError("Tệp không phải tệp Word (.docx): hãy tải lên bản dự thảo dạng .docx.")
    try:
        check_archive(data)
    except ArchiveError as exc:
        raise DraftError(exc.message) from exc
    except zipfile.BadZipFile as exc:
        raise DraftError("Tệp Word bị hỏng (không giải nén được), không đọc được.") from exc
    return _body_blocks(data)


def _body_blocks(data: bytes) -> list[str | list[list[str]]]:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors...
        raise DraftError(
            "Tệp bị hỏng hoặc không phải văn bản Word (.docx), không đọc được."
        ) from exc
    blocks: list[str | list[list[str]]] = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            blocks.append(Paragraph(element, document).text)
        elif element.tag == qn("w:tbl"):
            blocks.append(_table_rows(Table(element, document)))
    return blocks


def _table_rows(table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = normalise_line(" ".join(p.text for p in cell.paragraphs))
            if not cells or text != cells[-1]:  # a merged cell repeats its text across the span
                cells.append(text)
        rows.append(cells)
    return rows


# --- splitting -------------------------------------------------------------------------------


def roman_value(numeral: str) -> int | None:
    numeral = numeral.upper()
    if numeral.isdigit():
        return int(numeral)
    total = 0
    for index, char in enumerate(numeral):
        value = _ROMAN.get(char)
        if value is None:
            return None
        following = _ROMAN.get(numeral[index + 1], 0) if index + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total


def _next_letter(points: list[Point]) -> str:
    if not points:
        return POINT_LETTERS[0]
    index = POINT_LETTERS.find(points[-1].number)
    return POINT_LETTERS[index + 1] if 0 <= index < len(POINT_LETTERS) - 1 else ""


def _join(before: str, more: str) -> str:
    return f"{before}\n{more}" if before else more


def _is_heading(match: re.Match) -> bool:
    """A chapter or "Mục" line: its number followed by a separator, by nothing, or by a title in
    capitals (not by a sentence that merely starts with the word)."""
    separator, rest = match.group(match.re.groups - 1), match.group(match.re.groups)
    return bool(separator) or not rest or _is_heading_title(rest)


def _is_heading_title(text: str) -> bool:
    """A chapter's title on the line after "Chương I": written in capitals."""
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and all(char.isupper() for char in letters)


class _Splitter:
    def __init__(self) -> None:
        self.draft = Draft(articles=[])
        self.chapter: Chapter | None = None
        self.article: Article | None = None
        self.closed = False  # after "./." or "Nơi nhận:" nothing more is the draft's text
        self.wants_title = False  # a chapter or "Mục" whose title may be the next line

    def feed(self, block: str | list[list[str]]) -> None:
        if isinstance(block, list):
            self._table(block)
        else:
            self._paragraph(normalise_line(block))

    def _table(self, rows: list[list[str]]) -> None:
        first = next((cell for row in rows for cell in row if cell), "")
        if _RECIPIENTS.match(first):
            self.closed = True
        if self.closed or self.article is None:
            return  # the heading's table, the signature's table
        text = "\n".join(" | ".join(cell for cell in row) for row in rows if any(row))
        if text:
            self._continue(text)

    def _paragraph(self, text: str) -> None:
        if not text:
            return
        if self.wants_title:
            self.wants_title = False
            if _is_heading_title(text) and not _ARTICLE.match(text):
                if self.chapter is not None and not self.chapter.title and self.article is None:
                    self.chapter.title = text
                return  # the title of a chapter or a "Mục": a heading, not text
        if (match := _CHAPTER.match(text)) and _is_heading(match):
            self._open_chapter(match.group(1), match.group(3))
        elif match := _ARTICLE.match(text):
            self._open_article(match.group(1), match.group(2) or "")
        elif (match := _SECTION.match(text)) and _is_heading(match):
            self.wants_title = not match.group(2)
        elif _RECIPIENTS.match(text):
            self.closed = True
        elif not self.closed and self.article is not None:
            self._structured(text)

    def _open_chapter(self, number: str, title: str) -> None:
        self.closed = False
        self.chapter = Chapter(number=number.upper() if roman_value(number) else number,
                               title=title.strip())
        self.draft.chapters.append(self.chapter)
        self.wants_title = not self.chapter.title
        self.article = None

    def _open_article(self, number: str, title: str) -> None:
        self.closed = False
        title, ended = _strip_end(title)
        self.article = Article(number=number.lower(), title=title.strip(),
                               chapter=self.chapter.number if self.chapter else None)
        self.draft.articles.append(self.article)
        self.closed = ended

    def _structured(self, text: str) -> None:
        text, ended = _strip_end(text)
        article = self.article
        clause = article.clauses[-1] if article.clauses else None
        match = _CLAUSE.match(text)
        if match and int(match.group(1)) == (int(clause.number) + 1 if clause else 1):
            article.clauses.append(Clause(number=match.group(1), text=match.group(2)))
        elif (match := _POINT.match(text)) and match.group(1) == _next_letter(
            clause.points if clause else []
        ) and clause is not None:
            clause.points.append(Point(number=match.group(1), text=match.group(2)))
        elif text:
            self._continue(text)
        self.closed = ended

    def _continue(self, text: str) -> None:
        """Text that starts no part goes to the part open last (a point, a clause, the
        article's own text)."""
        article = self.article
        if article.clauses:
            clause = article.clauses[-1]
            if clause.points:
                clause.points[-1].text = _join(clause.points[-1].text, text)
            else:
                clause.text = _join(clause.text, text)
        else:
            article.text = _join(article.text, text)


def _strip_end(text: str) -> tuple[str, bool]:
    stripped = text.rstrip()
    if stripped.endswith(_END_MARK):
        return stripped[:-2], True  # the sentence keeps its own full stop; "/." is the mark
    return text, False


def split_blocks(blocks: list[str | list[list[str]]]) -> Draft:
    """The structure of a draft given as blocks (see :func:`read_blocks`)."""
    splitter = _Splitter()
    for block in blocks:
        splitter.feed(block)
    draft = splitter.draft
    if not draft.articles:
        raise DraftError(
            "Không tìm thấy điều nào trong dự thảo: mỗi điều phải bắt đầu một đoạn bằng"
            " “Điều 1.”, “Điều 2.”… (đánh số tự động của Word không đọc được, hãy chuyển thành"
            " chữ)."
        )
    _check_article_numbers(draft)
    return draft


def _check_article_numbers(draft: Draft) -> None:
    seen: set[str] = set()
    for article in draft.articles:
        if article.number in seen:
            raise DraftError(
                f"Điều {article.number} xuất hiện hai lần trong dự thảo: hãy sửa số điều rồi tải"
                " lên lại."
            )
        seen.add(article.number)


def split_docx(data: bytes) -> Draft:
    """Read and split a DOCX draft; ``DraftError`` (Vietnamese) when it cannot be."""
    return split_blocks(read_blocks(data))
