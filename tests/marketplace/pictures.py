"""Pictures made with Pillow for the cover tests: real files of each format, and the broken
and hostile ones a cover upload must refuse."""

from __future__ import annotations

import io
import random

from PIL import Image


def picture(
    size: tuple[int, int], fmt: str = "PNG", *, alpha: bool = False, **save: object
) -> bytes:
    """A picture of ``size`` in ``fmt``: gradients, so that scaling has something to do."""
    ramp = Image.linear_gradient("L").resize(size)
    bands = [ramp, Image.new("L", size, 40), ramp.transpose(Image.Transpose.ROTATE_180)]
    if alpha:
        bands.append(ramp)
    out = io.BytesIO()
    Image.merge("RGBA" if alpha else "RGB", bands).save(out, format=fmt, **save)
    return out.getvalue()


def noisy_png(size: tuple[int, int], seed: int = 1) -> bytes:
    """A PNG of random pixels: it does not compress, so its bytes grow with its pixels."""
    width, height = size
    pixels = random.Random(seed).randbytes(width * height * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", size, pixels).save(out, format="PNG")
    return out.getvalue()


def bomb_png(size: tuple[int, int]) -> bytes:
    """A tiny file declaring a huge picture (one bit a pixel, all black, deflated to nothing):
    decoded as RGB it would take ``3 * width * height`` bytes of memory."""
    out = io.BytesIO()
    Image.new("1", size, 0).save(out, format="PNG")
    return out.getvalue()


def truncated_png() -> bytes:
    """The first half of a real PNG: its header is fine, its pixels stop."""
    whole = noisy_png((300, 200))
    return whole[: len(whole) // 2]


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image
