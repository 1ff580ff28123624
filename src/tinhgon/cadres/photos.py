"""Portrait photos of cadres: checked and re-encoded before they are stored.

An upload is accepted when it is a JPEG, PNG or WebP image of at most 5 MiB and a
sensible size; it is turned upright (EXIF orientation), flattened onto white,
reduced to fit 600 × 800 pixels and re-encoded as a JPEG *without any metadata*
(no camera, date or GPS position travels with the photo). Pure: bytes in, bytes out.
"""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
FORMATS = {"JPEG", "PNG", "WEBP"}
MIN_SIDE = 60
MAX_PIXELS = 50_000_000
BOX = (600, 800)
CONTENT_TYPE = "image/jpeg"


def normalized_photo(fileobj) -> bytes:
    """The JPEG to store for an uploaded image, or a ValidationError on the ``photo`` field."""
    if fileobj is None:
        raise ValidationError({"photo": [_("Choose an image file.")]})
    data = fileobj.read(MAX_UPLOAD_BYTES + 1)
    if not data:
        raise ValidationError({"photo": [_("The file is empty.")]})
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError({"photo": [_("The photo is larger than 5 MiB.")]})
    try:
        with Image.open(io.BytesIO(data)) as im:
            if im.format not in FORMATS:
                raise ValidationError({"photo": [_("Give a JPEG, PNG or WebP image.")]})
            width, height = im.size
            if width * height > MAX_PIXELS:
                raise ValidationError({"photo": [_("The image has too many pixels (at most 50 million).")]})
            if min(width, height) < MIN_SIDE:
                raise ValidationError({"photo": [_("The image is too small (at least 60 pixels a side).")]})
            im.load()
            upright = ImageOps.exif_transpose(im)
            if upright.mode in ("RGBA", "LA", "P"):
                rgba = upright.convert("RGBA")
                flat = Image.new("RGB", rgba.size, "white")
                flat.paste(rgba, mask=rgba.getchannel("A"))
            else:
                flat = upright.convert("RGB")
            flat.thumbnail(BOX, Image.Resampling.LANCZOS)
            out = io.BytesIO()
            flat.save(out, "JPEG", quality=85, optimize=True)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError({"photo": [_("The file is not an image that can be read.")]}) from None
    return out.getvalue()
