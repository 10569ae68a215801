"""A problem found in an XLSForm, located by sheet, row and column, in Vietnamese."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass
class Issue:
    """One error or warning. ``row`` is the spreadsheet row (1 = header row) when known."""

    level: str  # "error" | "warning"
    message: str  # Vietnamese, for the user
    sheet: str = ""
    row: int | None = None
    column: str = ""  # the column header, e.g. "relevant"
    column_letter: str = ""  # e.g. "D"
    original: str = ""  # pyxform's English text, kept for what we do not translate

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def where(self) -> str:
        """"Trang survey, dòng 5, cột relevant (D)" — empty when nothing is known."""
        parts = []
        if self.sheet:
            parts.append(f"trang {self.sheet}")
        if self.row:
            parts.append(f"dòng {self.row}")
        if self.column:
            col = f"cột {self.column}"
            if self.column_letter:
                col += f" ({self.column_letter})"
            parts.append(col)
        text = ", ".join(parts)
        return text[:1].upper() + text[1:]

    def line(self) -> str:
        """One line for the CLI and logs."""
        label = "Lỗi" if self.level == "error" else "Cảnh báo"
        where = self.where
        return f"{label}: {where + ': ' if where else ''}{self.message}"



def column_letter(index: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
