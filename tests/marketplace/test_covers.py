"""Cover uploads decoded whole and re-encoded: real pictures become at most 1200x675 PNGs or
JPEGs, with their aspect ratio; anything else is refused with what to upload instead."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from core.errors import InvalidInput
from marketplace.covers import COVER_MAX_BYTES, cover_prepare
from tests.marketplace.pictures import bomb_png, noisy_png, opened, picture, truncated_png


def test_a_large_png_is_scaled_down_to_fit_the_box_keeping_its_shape():
    cover = cover_prepare(picture((2400, 1350)))

    assert (cover.content_type, cover.width, cover.height) == ("image/png", 1200, 675)
    stored = opened(cover.data)
    assert (stored.format, stored.size) == ("PNG", (1200, 675))


def test_a_tall_jpeg_photo_stays_a_jpeg_and_fits_the_box_by_its_height():
    cover = cover_prepare(picture((1000, 3000), "JPEG"), content_type_hint="image/jpeg")

    assert (cover.content_type, cover.width, cover.height) == ("image/jpeg", 225, 675)
    assert opened(cover.data).format == "JPEG"


def test_a_small_picture_is_kept_at_its_size_never_enlarged():
    cover = cover_prepare(picture((320, 180)))

    assert (cover.width, cover.height) == (320, 180)


@pytest.mark.parametrize("fmt", ["WEBP", "GIF"])
def test_webp_and_gif_pictures_are_stored_as_png(fmt):
    cover = cover_prepare(picture((1600, 900), fmt))

    assert (cover.content_type, cover.width, cover.height) == ("image/png", 1200, 675)


def test_transparency_is_kept():
    cover = cover_prepare(picture((400, 300), alpha=True))

    assert cover.content_type == "image/png"
    assert opened(cover.data).mode == "RGBA"


def test_a_photo_saved_as_png_is_stored_as_a_jpeg_to_stay_small():
    cover = cover_prepare(noisy_png((800, 450)))  # random pixels: 1 MB as PNG

    assert cover.content_type == "image/jpeg"
    assert len(cover.data) < 1024 * 1024


def test_metadata_of_the_upload_is_not_kept():
    exif = Image.Exif()
    exif[0x010F] = "Spy Camera Co."  # Make
    cover = cover_prepare(picture((640, 360), "JPEG", exif=exif.tobytes()))

    assert dict(opened(cover.data).getexif()) == {}


def test_a_text_file_named_png_is_not_an_image():
    with pytest.raises(InvalidInput, match="not an image") as refused:
        cover_prepare(b"Just some notes, renamed cover.png.\n", content_type_hint="image/png")

    assert "PNG, JPEG, WebP or GIF" in refused.value.message
    assert refused.value.details == {"file": [refused.value.message]}


def test_another_image_format_is_refused_as_not_an_image():
    with pytest.raises(InvalidInput, match="not an image"):
        cover_prepare(picture((64, 64), "BMP"))


def test_a_truncated_png_is_refused_as_cut_short():
    with pytest.raises(InvalidInput, match="damaged or cut short"):
        cover_prepare(truncated_png())


def test_a_file_over_two_mebibytes_is_refused_saying_the_limit():
    data = noisy_png((1024, 1024))
    assert len(data) > COVER_MAX_BYTES

    with pytest.raises(InvalidInput, match="at most 2,097,152 bytes") as refused:
        cover_prepare(data)

    assert f"{len(data):,} bytes" in refused.value.message


def test_an_empty_file_is_refused():
    with pytest.raises(InvalidInput, match="empty"):
        cover_prepare(b"")


def test_a_decompression_bomb_is_refused_from_its_header_naming_its_size():
    data = bomb_png((10_000, 10_000))  # 12 KB that would decode to 300 MB
    assert len(data) < 64 * 1024

    with pytest.raises(InvalidInput, match="10,000x10,000 pixels; a cover may have at most"):
        cover_prepare(data)


def test_a_picture_beyond_pillows_own_limit_is_refused_too():
    with pytest.raises(InvalidInput, match="too many pixels"):
        cover_prepare(bomb_png((20_000, 10_000)))  # past twice Pillow's default limit


def test_only_the_first_frame_of_an_animation_is_kept():
    frames = [Image.new("RGB", (200, 100), colour) for colour in ("red", "blue")]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:])

    cover = cover_prepare(out.getvalue())

    stored = opened(cover.data)
    assert getattr(stored, "n_frames", 1) == 1
    assert stored.getpixel((10, 10))[:3] == (255, 0, 0)
