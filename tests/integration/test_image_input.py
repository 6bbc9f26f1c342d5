"""Image input for image-to-video: uploads checked by Pillow, URLs checked to be public."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from adapters.media.resolver import SystemAddressResolver
from adapters.media.upload import PillowImageSanitizer
from application.errors import InvalidImageError, InvalidUrlError
from application.generation.public_image_address import checked_image_url
from tests.fake_gateway import FakeAddressResolver
from tests.image_samples import HTML_AS_PNG, SVG, declared_png, encoded, with_exif

sanitizer = PillowImageSanitizer(max_pixels=40_000_000)


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "WEBP"])
async def test_allowed_images_come_back_re_encoded_in_their_own_type(kind: str) -> None:
    clean = await sanitizer.sanitize(encoded(kind, (64, 36)))
    assert (clean.content_type, clean.width, clean.height) == (
        f"image/{kind.lower()}",
        64,
        36,
    )
    with Image.open(io.BytesIO(clean.data)) as image:
        assert image.format == kind and image.size == (64, 36)


@pytest.mark.parametrize("kind", ["JPEG", "WEBP", "PNG"])
async def test_re_encoding_strips_exif(kind: str) -> None:
    original = with_exif(kind)
    assert b"SecretCam" in original
    clean = await sanitizer.sanitize(original)
    assert b"SecretCam" not in clean.data and b"SecretSoftware" not in clean.data
    with Image.open(io.BytesIO(clean.data)) as image:
        assert dict(image.getexif()) == {}


async def test_the_exif_orientation_is_applied_before_it_is_dropped() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90 degrees clockwise
    clean = await sanitizer.sanitize(encoded("JPEG", (40, 20), exif=exif.tobytes()))
    assert (clean.width, clean.height) == (20, 40)


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (HTML_AS_PNG, "HTML behind PNG magic bytes"),
        (SVG, "an SVG (script-capable)"),
        (encoded("GIF"), "a GIF (not allowed)"),
        (encoded("BMP"), "a BMP"),
        (b"", "nothing"),
        (encoded("PNG", (300, 200), noise=True)[:4000], "a truncated PNG"),
        (encoded("JPEG", (300, 200), noise=True)[:3000], "a truncated JPEG"),
        (b"\xff\xd8\xff" + encoded("PNG")[3:], "PNG bytes behind JPEG magic"),
        (declared_png(10_000, 10_000), "a 77-byte PNG declaring 100 MP (Pillow's bomb warning)"),
        (declared_png(7_100, 7_100), "a PNG declaring 50 MP (over our 40 MP cap)"),
        (declared_png(200_000, 200_000), "a PNG declaring 40 GP (Pillow's bomb error)"),
    ],
)
async def test_hostile_or_broken_files_are_invalid_images(data: bytes, why: str) -> None:
    with pytest.raises(InvalidImageError):
        await sanitizer.sanitize(data)


async def test_the_pixel_cap_is_read_from_the_header_before_decoding() -> None:
    small_cap = PillowImageSanitizer(max_pixels=64 * 36 - 1)
    with pytest.raises(InvalidImageError, match="more than 2,303 pixels"):
        await small_cap.sanitize(encoded("PNG", (64, 36)))
    with pytest.raises(InvalidImageError, match="pixels"):
        await sanitizer.sanitize(declared_png(7_100, 7_100))  # would need 150 MB to decode


RESOLVER = FakeAddressResolver(
    {
        "images.example.com": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
        "rebind.example.com": ["93.184.215.14", "127.0.0.1"],
        "metadata.example.com": ["169.254.169.254"],
        "v6only.example.com": ["fd00::1"],
        "mapped.example.com": ["::ffff:10.0.0.1"],
        "cgnat.example.com": ["100.64.0.1"],
        "multicast.example.com": ["224.0.0.1"],
    }
)


@pytest.mark.parametrize(
    "url",
    [
        "https://images.example.com/fox.png",
        "https://images.example.com:443/fox.png?size=large#frag",
        "HTTPS://IMAGES.EXAMPLE.COM/fox.png",
        "https://93.184.215.14/fox.png",
        "https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/fox.png",
    ],
)
async def test_https_urls_to_public_addresses_pass_unchanged(url: str) -> None:
    assert await checked_image_url(url, RESOLVER) == url


@pytest.mark.parametrize(
    "url",
    [
        "http://images.example.com/fox.png",
        "ftp://images.example.com/fox.png",
        "file:///etc/passwd",
        "data:image/png;base64,iVBORw0KGgo=",
        "https://user:pw@images.example.com/fox.png",
        "https://user@169.254.169.254/",
        "https://images.example.com:8443/fox.png",
        "https://images.example.com:0/fox.png",
        "https://images.example.com/" + "a" * 2030,
        "https://127.0.0.1/x.png",
        "https://2130706433/x.png",
        "https://0x7f000001/x.png",
        "https://017700000001/x.png",
        "https://127.1/x.png",
        "https://0177.0.0.1/x.png",
        "https://0/x.png",
        "https://[::ffff:127.0.0.1]/x.png",
        "https://[::ffff:7f00:1]/x.png",
        "https://[::1]/x.png",
        "https://[::127.0.0.1]/x.png",
        "https://[64:ff9b::7f00:1]/x.png",
        "https://[2002:7f00:1::1]/x.png",
        "https://[fe80::1%25eth0]/x.png",
        "https://169.254.169.254/latest/meta-data/",
        "https://10.0.0.1/x.png",
        "https://192.168.1.1/x.png",
        "https://100.64.0.1/x.png",
        "https://224.0.0.1/x.png",
        "https://localhost/x.png",
        "https://rebind.example.com/x.png",
        "https://metadata.example.com/x.png",
        "https://v6only.example.com/x.png",
        "https://mapped.example.com/x.png",
        "https://cgnat.example.com/x.png",
        "https://multicast.example.com/x.png",
        "https://nowhere.example.com/x.png",
        "https://example.com\\@127.0.0.1/x.png",
        "https://images.example.com/a b.png",
        "https://images.example.com/\r\nHost: evil",
        "https:///x.png",
        "https://-bad-.example.com/x.png",
        "https://[::ffff:127.0.0.1/x.png",
    ],
)
async def test_urls_that_are_not_https_to_a_public_address_are_refused(url: str) -> None:
    with pytest.raises(InvalidUrlError):
        await checked_image_url(url, RESOLVER)


async def test_literal_addresses_need_no_dns() -> None:
    resolver = FakeAddressResolver()
    await checked_image_url("https://93.184.215.14/a.png", resolver)
    with pytest.raises(InvalidUrlError):
        await checked_image_url("https://[::ffff:169.254.169.254]/a.png", resolver)
    assert resolver.asked == []


async def test_the_system_resolver_answers_off_the_loop_without_dns_for_literals() -> None:
    resolver = SystemAddressResolver(timeout_s=2)
    assert await resolver.resolve("127.0.0.1") == ["127.0.0.1"]
    assert await resolver.resolve("::1") == ["::1"]
    assert await resolver.resolve("bad\x00name") == []
