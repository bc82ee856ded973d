"""A scanned page as the reader saw it, for the reviewer to compare with the table.

OCR reads a page gray, coloured ink washed out and turned straight, and every value it
reads keeps its box in that image's pixels (``SourceRef.box``). The page is made again the
same way, so those boxes fall on the words: an image file's frame at the resolution it was
read at, a scanned PDF's page rendered as it was for reading.
"""

from __future__ import annotations

import io
from pathlib import PurePosixPath

from jixiao.ingest.raw import ReadError
from jixiao.ingest.readers import images


def scanned_page_png(data: bytes, name: str, page: int) -> bytes | None:
    """Page ``page`` (1-based) of a scan or a photo as a PNG; ``None`` when the file is not
    one, has no such page, or OCR is not installed."""
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    try:
        from PIL import Image

        from jixiao.ingest.readers import ocr
    except ImportError:
        return None
    try:
        gray = _page(data, suffix, page)
    except (ReadError, OSError, ValueError):
        return None
    if gray is None:
        return None
    buffer = io.BytesIO()
    Image.fromarray(ocr.straighten(gray)).save(buffer, "PNG")
    return buffer.getvalue()


def _page(data: bytes, suffix: str, page: int) -> object | None:
    if suffix in images.SUFFIXES:
        pages = images.image_pages(data)
        return pages[page - 1][0] if 0 < page <= len(pages) else None
    if suffix == ".pdf":
        import pypdfium2

        pdf = pypdfium2.PdfDocument(data)
        try:
            if not 0 < page <= len(pdf):
                return None
            rendered = pdf[page - 1].render(scale=images.PDF_DPI / 72).to_numpy()[:, :, :3]
        finally:
            pdf.close()
        cleaned: object = images.clean(rendered)
        return cleaned
    return None
