"""Reading a PDF's pages back to check its layout against the DOCX it was made from (no Django).

Two readings of the same pages, both from poppler-utils: ``pdftoppm`` renders a page to an image,
whose inked area must start at the DOCX's left and top margins and stay inside the right and
bottom ones; ``pdftotext -bbox`` gives every word's box in points, which must do the same on every
page. The margins are read from the DOCX itself (its first section), not from the constants that
wrote it, so the check is "the PDF has the DOCX's layout", whatever that layout is.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import docx
from PIL import Image, ImageOps

A4_PT = (595.28, 841.89)  # 210 × 297 mm
SIZE_TOLERANCE_PT = 2.0
# A glyph's box starts a little inside or outside its line (side bearings, accents above capitals),
# so the text's edges are compared with the margins within this much.
EDGE_TOLERANCE_PT = 4.0
RENDER_DPI = 100
INK = 160  # grey level (0 black, 255 white) below which a pixel counts as ink
POPPLER_MISSING = "pdftoppm/pdftotext (poppler-utils) is not installed: the PDF cannot be read back"
SOFFICE_MISSING = ("LibreOffice (soffice) is not installed: no PDF can be made"
                   " (apt-get install libreoffice-writer-nogui)")

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                   r"([^<]*)</word>")


def tools_missing() -> str:
    """Why the PDF checks cannot run here, or "" when they can."""
    if shutil.which("soffice") is None:
        return SOFFICE_MISSING
    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        return POPPLER_MISSING
    return ""


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: list[tuple[str, Box]]


def pages(pdf: bytes) -> list[Page]:
    """Every page's size and words (in points, from the top left corner)."""
    xhtml = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True,
                           check=True, timeout=60).stdout.decode("utf-8")
    found = []
    for width, height, body in _PAGE.findall(xhtml):
        words = [(m[4], Box(*(float(v) for v in m[:4]))) for m in _WORD.findall(body)]
        found.append(Page(float(width), float(height), words))
    return found


def text_of(page: Page) -> str:
    return " ".join(word for word, _ in page.words)


def render(pdf: bytes, *, page: int = 1, dpi: int = RENDER_DPI) -> Image.Image:
    """One page as a greyscale image (pdftoppm)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "document.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(dpi), "-gray",
                        "-png", "-singlefile", str(source), str(Path(folder) / "page")],
                       capture_output=True, check=True, timeout=60)
        with Image.open(Path(folder) / "page.png") as image:
            return image.convert("L")


def ink_box(image: Image.Image, dpi: int = RENDER_DPI) -> Box:
    """Where the ink is on a rendered page, in points."""
    mask = ImageOps.invert(image).point(lambda v: 255 if v > 255 - INK else 0)
    left, top, right, bottom = mask.getbbox()
    scale = 72 / dpi
    return Box(left * scale, top * scale, right * scale, bottom * scale)


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float


def docx_layout(content: bytes) -> Layout:
    """The page size and margins of the DOCX's first section, in points."""
    section = docx.Document(io.BytesIO(content)).sections[0]
    return Layout(section.page_width.pt, section.page_height.pt, section.left_margin.pt,
                  section.right_margin.pt, section.top_margin.pt, section.bottom_margin.pt)


def body_words(page: Page, layout: Layout) -> list[tuple[str, Box]]:
    """The page's words but the page number, which Hướng dẫn 36 puts in the top margin."""
    return [(w, b) for w, b in page.words if b.bottom > layout.top]


def layout_problems(pdf: bytes, docx_content: bytes) -> list[str]:
    """How the PDF's pages depart from the DOCX's page size and margins (empty: they match)."""
    layout = docx_layout(docx_content)
    problems = []
    if abs(layout.width - A4_PT[0]) > SIZE_TOLERANCE_PT or abs(
            layout.height - A4_PT[1]) > SIZE_TOLERANCE_PT:
        problems.append(f"the DOCX is not A4: {layout.width:.1f} × {layout.height:.1f} pt")
    read = pages(pdf)
    if not read:
        return [*problems, "the PDF has no page"]
    tol = EDGE_TOLERANCE_PT
    right_edge, bottom_edge = layout.width - layout.right, layout.height - layout.bottom
    for number, page in enumerate(read, start=1):
        if abs(page.width - layout.width) > SIZE_TOLERANCE_PT or abs(
                page.height - layout.height) > SIZE_TOLERANCE_PT:
            problems.append(f"page {number} is {page.width:.1f} × {page.height:.1f} pt, not the"
                            f" DOCX's {layout.width:.1f} × {layout.height:.1f}")
        words = body_words(page, layout)
        if not words:
            problems.append(f"page {number} has no text")
            continue
        for word, box in words:
            if box.left < layout.left - tol or box.right > right_edge + tol or (
                    box.bottom > bottom_edge + tol):
                problems.append(f"page {number}: “{word}” at {box} is outside the margins")
                break
    # The text begins at the left and top margins (the first page's header block is at the top).
    leftmost = min(b.left for page in read for _, b in body_words(page, layout))
    if abs(leftmost - layout.left) > tol:
        problems.append(f"the text starts {leftmost:.1f} pt from the left edge, the DOCX's left"
                        f" margin is {layout.left:.1f}")
    topmost = min(b.top for _, b in read[0].words)
    if abs(topmost - layout.top) > tol:
        problems.append(f"page 1's text starts {topmost:.1f} pt from the top, the DOCX's top"
                        f" margin is {layout.top:.1f}")
    return problems + _image_problems(pdf, layout)


def _image_problems(pdf: bytes, layout: Layout) -> list[str]:
    """Page 1 rendered: A4 in pixels, the ink starting at the top margin and within the others."""
    image = render(pdf)
    expected = (round(layout.width * RENDER_DPI / 72), round(layout.height * RENDER_DPI / 72))
    problems = []
    if abs(image.width - expected[0]) > 2 or abs(image.height - expected[1]) > 2:
        problems.append(f"page 1 renders as {image.size} px, A4 at {RENDER_DPI} dpi is {expected}")
    ink = ink_box(image)
    tol = EDGE_TOLERANCE_PT + 72 / RENDER_DPI  # a pixel's worth more
    if abs(ink.top - layout.top) > tol:
        problems.append(f"the ink of page 1 starts {ink.top:.1f} pt from the top, the margin is"
                        f" {layout.top:.1f}")
    if ink.left < layout.left - tol:
        problems.append(f"the ink of page 1 reaches {ink.left:.1f} pt from the left edge, the"
                        f" margin is {layout.left:.1f}")
    if ink.right > layout.width - layout.right + tol:
        problems.append(f"the ink of page 1 reaches {layout.width - ink.right:.1f} pt from the"
                        f" right edge, the margin is {layout.right:.1f}")
    if ink.bottom > layout.height - layout.bottom + tol:
        problems.append(f"the ink of page 1 reaches {layout.height - ink.bottom:.1f} pt from the"
                        f" bottom, the margin is {layout.bottom:.1f}")
    return problems
