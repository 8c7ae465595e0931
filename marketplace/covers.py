"""Listing covers: an uploaded picture, checked and made into the image the marketplace serves.

Nothing of the upload is trusted until Pillow has decoded it whole: a file's name and its
declared type say nothing (a text file renamed ``.png`` is refused), and only PNG, JPEG, WebP
and GIF decoders are asked. The size on screen is known before any pixel is decoded, so a
small file that would unpack to gigabytes (a decompression bomb) is refused from its header.
What is stored is a new encoding of the first frame, at most ``COVER_BOX``: no metadata (a
phone photo's GPS position), no trailing bytes, no second image behind the first.

Plain code with no Django in it (the service stores the result).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import InvalidInput

# 2 MiB: a 1200x675 JPEG is about 200 KiB and a 1920x1080 PNG screenshot about 1.5 MiB; a
# camera's full-size photo is larger and is asked to be saved smaller (the limit).
COVER_MAX_BYTES = 2 * 1024 * 1024
# Pixels a cover may declare before it is decoded: a 24-megapixel camera's 6000x4000 fits;
# decoding 32 MP as RGBA takes 128 MB, which one request may use (Pillow's own default lets
# 89 MP through, 358 MB). Beyond it a file is refused from its header alone.
COVER_MAX_PIXELS = 32_000_000
# The largest cover stored, in pixels: the 16:9 box the listing page shows at full width
# (cards show it at 320x180). Smaller pictures are kept as they are, never enlarged.
COVER_BOX = (1200, 675)
FORMATS = ("PNG", "JPEG", "WEBP", "GIF")
# A PNG larger than this after downscaling is a photograph in PNG's clothing: it is stored
# as a JPEG instead (a noisy 1200x675 photo is 2 MB as PNG, 200 KB as JPEG).
PNG_MAX_STORED_BYTES = 1024 * 1024
JPEG_QUALITY = 85  # Pillow's scale; where photos stop showing artefacts at cover size


@dataclass(frozen=True)
class Cover:
    data: bytes
    content_type: str  # image/png or image/jpeg
    width: int
    height: int


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(message, details={"file": [message]})


def cover_size_check(size: int) -> None:
    """``InvalidInput`` for a file over ``COVER_MAX_BYTES``: asked before a byte is read, so
    an upload's own size says it is too large."""
    if size > COVER_MAX_BYTES:
        raise _refuse(
            f"The cover is {size:,} bytes; a cover may be at most {COVER_MAX_BYTES:,} bytes "
            f"(2 MiB). Save it smaller ({COVER_BOX[0]}x{COVER_BOX[1]} pixels is all a cover "
            "shows) and upload it again."
        )


def cover_prepare(data: bytes, *, content_type_hint: str = "") -> Cover:
    """Decode ``data`` as a PNG, JPEG, WebP or GIF picture and re-encode its first frame,
    scaled down to fit ``COVER_BOX`` (aspect ratio kept): PNG, or JPEG for photographs.
    ``InvalidInput`` (details under ``file``) says what is wrong with anything else.
    ``content_type_hint`` (what the client called the file) only words the messages."""
    cover_size_check(len(data))
    if not data:
        raise _refuse("The file is empty: choose a PNG, JPEG, WebP or GIF picture.")
    sent_as = f" (sent as {content_type_hint[:60]})" if content_type_hint else ""
    not_an_image = _refuse(
        f"This file is not an image{sent_as}: upload a PNG, JPEG, WebP or GIF picture."
    )
    try:
        with warnings.catch_warnings():
            # Pillow warns past its own pixel limit (ours, lower, refuses first and names the
            # size) and raises past twice it: either way nothing is decoded.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=FORMATS) as probe:
                _pixels_check(*probe.size)
                probe.verify()  # chunk checksums and structure, without decoding
            with Image.open(io.BytesIO(data), formats=FORMATS) as image:
                source_format = image.format
                image.draft(None, COVER_BOX)  # JPEG: decode at the smallest scale that covers
                image.load()  # every pixel of the first frame: a truncated file fails here
                picture = _upright(image)
    except UnidentifiedImageError:
        raise not_an_image from None
    except Image.DecompressionBombError:
        raise _pixels_refused() from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise _refuse(
            "The image is damaged or cut short: it could not be decoded whole. Export it "
            "again and upload the new file."
        ) from error
    return _encoded(picture, photo=source_format == "JPEG")


def _pixels_refused(width: int | None = None, height: int | None = None) -> InvalidInput:
    size = f"is {width:,}x{height:,} pixels" if width and height else "has too many pixels"
    return _refuse(
        f"The image {size}; a cover may have at most {COVER_MAX_PIXELS:,} pixels. Scale it "
        f"down to about {COVER_BOX[0]}x{COVER_BOX[1]} and upload it again."
    )


def _pixels_check(width: int, height: int) -> None:
    if width * height > COVER_MAX_PIXELS:
        raise _pixels_refused(width, height)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        image.mode == "P" and "transparency" in image.info
    )


def _upright(image: Image.Image) -> Image.Image:
    """The decoded frame turned as its EXIF orientation says (photos taken sideways), in RGB
    or RGBA so that scaling filters every pixel (palette images scale by nearest pixel)."""
    alpha = _has_alpha(image)
    turned = ImageOps.exif_transpose(image) or image
    return turned.convert("RGBA" if alpha else "RGB")


def _encoded(picture: Image.Image, *, photo: bool) -> Cover:
    picture.thumbnail(COVER_BOX, Image.Resampling.LANCZOS)
    opaque = picture.mode == "RGB"
    if not photo:
        png = io.BytesIO()
        picture.save(png, format="PNG", optimize=True)
        if len(png.getvalue()) <= PNG_MAX_STORED_BYTES or not opaque:
            return Cover(png.getvalue(), "image/png", picture.width, picture.height)
    jpeg = io.BytesIO()
    picture.convert("RGB").save(
        jpeg, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True
    )
    return Cover(jpeg.getvalue(), "image/jpeg", picture.width, picture.height)
