"""Scans and photos of the generated PDFs, for the OCR reader's tests and bench.

A PDF with a text layer (``layout_docs``) is rasterised by pdftoppm and made to look like
what units send: turned a little, speckled, a red 公章 stamped over part of the table; a
"photo" is coarser, unevenly lit and a little blurred. The pages are saved as an image-only
PDF (Pillow), as a multi-page TIFF, or one page as a PNG; the text layer's gold still holds.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter


@dataclass(frozen=True)
class Variant:
    dpi: int
    angle: float  # degrees, counter-clockwise
    noise: float  # standard deviation of the speckle, in grey levels
    photo: bool = False  # uneven light and a little blur


VARIANTS = {
    "scan-300": Variant(300, 2.0, 12.0),
    "photo-150": Variant(150, -2.0, 18.0, photo=True),
}


def pdftoppm() -> bool:
    return shutil.which("pdftoppm") is not None


def rasterise(pdf: Path, dpi: int, pages: int | None = None) -> list[Image.Image]:
    """The PDF's pages as RGB images (pdftoppm, as a scanner would see the print)."""
    with tempfile.TemporaryDirectory(prefix="jixiao-scan-") as work:
        last = ["-l", str(pages)] if pages else []
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", *last, str(pdf), f"{work}/page"],
            check=True,
            capture_output=True,
        )
        return [Image.open(p).convert("RGB") for p in sorted(Path(work).glob("page*.png"))]


def scanned(page: Image.Image, variant: Variant, seed: int = 0) -> Image.Image:
    """One page as scanned: stamp, turn, speckle (and light and blur for a photo)."""
    page = stamp(page, variant.dpi)
    page = page.rotate(variant.angle, resample=Image.Resampling.BICUBIC, fillcolor="white")
    pixels = np.asarray(page, dtype=np.float32)
    rng = np.random.default_rng(seed)
    pixels = pixels + rng.normal(0, variant.noise, pixels.shape[:2])[:, :, None]
    if variant.photo:  # light falling off from the top left corner
        height, width = pixels.shape[:2]
        yy, xx = np.mgrid[0:height, 0:width]
        pixels = pixels * (1 - 0.25 * (yy / height + xx / width) / 2)[:, :, None]
    out = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    return out.filter(ImageFilter.GaussianBlur(0.6)) if variant.photo else out


def stamp(page: Image.Image, dpi: int) -> Image.Image:
    """A red round stamp (ring, star, arc of text-like strokes) laid over the upper right
    of the table, multiplied in as ink is: the print under it stays dark."""
    size = int(dpi * 1.6)
    mark = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(mark)
    red = (220, 30, 30)
    width = max(2, dpi // 40)
    draw.ellipse((width, width, size - width, size - width), outline=red, width=width)
    c, r = size / 2, size / 8
    star = [
        (
            c + (r if i % 2 == 0 else r / 2.5) * np.sin(i * np.pi / 5),
            c - (r if i % 2 == 0 else r / 2.5) * np.cos(i * np.pi / 5),
        )
        for i in range(10)
    ]
    draw.polygon(star, fill=red)
    for i in range(9):  # the unit's name around the rim, as strokes
        angle = np.pi * (0.8 + 1.4 * i / 8)
        x, y = c + 0.36 * size * np.cos(angle), c + 0.36 * size * np.sin(angle)
        draw.rectangle(
            (x - dpi / 20, y - dpi / 20, x + dpi / 20, y + dpi / 20), outline=red, width=width
        )
    box = (int(page.width * 0.55), int(page.height * 0.2))
    region = page.crop((*box, box[0] + size, box[1] + size))
    page.paste(Image.fromarray(_multiply(region, mark)), box)
    return page


def _multiply(a: Image.Image, b: Image.Image) -> np.ndarray:
    mixed = np.asarray(a, dtype=np.float32) * np.asarray(b, dtype=np.float32) / 255
    return mixed.astype(np.uint8)


def save_pdf(pages: list[Image.Image], path: Path, dpi: int) -> Path:
    """An image-only PDF, as a scanner writes it (JPEG pages, no text layer)."""
    pages[0].save(path, "PDF", resolution=float(dpi), save_all=True, append_images=pages[1:])
    return path


def save_png(page: Image.Image, path: Path, dpi: int) -> Path:
    page.save(path, "PNG", dpi=(dpi, dpi))
    return path


def scanned_pdf(pdf: Path, variant_name: str, out: Path, pages: int | None = None) -> Path:
    """``pdf`` printed and scanned as the variant says, as an image-only PDF at ``out``."""
    variant = VARIANTS[variant_name]
    images = [
        scanned(page, variant, seed) for seed, page in enumerate(rasterise(pdf, variant.dpi, pages))
    ]
    return save_pdf(images, out, variant.dpi)
