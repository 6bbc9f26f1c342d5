"""Video options: checked against what the model offers, with the allowed values named."""

from __future__ import annotations

import pytest

from domain.errors import InvalidVideoOptionsError
from domain.video_options import VideoCapabilities, VideoOptions, check_options

VEO = VideoCapabilities(
    durations=(8, 4, 6),
    resolutions=("720p", "1080p"),
    aspect_ratios=("16:9", "9:16"),
    frame_images=("first_frame", "last_frame"),
    generate_audio=True,
)


@pytest.mark.parametrize(
    ("options", "frames", "message"),
    [
        (VideoOptions(duration=5), (), "Duration 5 is not offered by m/x; choose one of: 4, 6, 8."),
        (VideoOptions(resolution="4K"), (), "choose one of: 720p, 1080p."),
        (VideoOptions(aspect_ratio="1:1"), (), "choose one of: 16:9, 9:16."),
        (VideoOptions(), ("middle_frame",), "choose one of: first_frame, last_frame."),
    ],
)
def test_options_outside_the_model_sets_name_the_allowed_values(
    options: VideoOptions, frames: tuple[str, ...], message: str
) -> None:
    with pytest.raises(InvalidVideoOptionsError) as raised:
        check_options("m/x", options, VEO, frames=frames)
    assert message in raised.value.detail


def test_options_a_model_does_not_offer_must_be_left_out() -> None:
    bare = VideoCapabilities(durations=(4,), generate_audio=False, seed=False)
    for options in (
        VideoOptions(resolution="720p"),
        VideoOptions(generate_audio=True),
        VideoOptions(seed=7),
    ):
        with pytest.raises(InvalidVideoOptionsError, match="leave it out"):
            check_options("m/x", options, bare)
    with pytest.raises(InvalidVideoOptionsError, match="frame image"):
        check_options("m/x", VideoOptions(), bare, frames=("first_frame",))
    check_options("m/x", VideoOptions(duration=4, generate_audio=False), bare)


def test_options_inside_the_sets_pass() -> None:
    options = VideoOptions(duration=6, resolution="1080p", aspect_ratio="9:16", generate_audio=True)
    check_options("m/x", options, VEO, frames=("first_frame",))
