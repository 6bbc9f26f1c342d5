"""Image generation: model, aspect ratio and prompt in; the pictures come back via /media."""

from __future__ import annotations

from flask import Blueprint
from flask.typing import ResponseReturnValue

from entrypoints.web.generation.forms import ImageForm
from entrypoints.web.generation.page import generation_page
from entrypoints.web.session import api, login_required

bp = Blueprint("images", __name__)


@bp.route("/images", methods=["GET", "POST"])
@login_required
def index() -> ResponseReturnValue:
    return generation_page(ImageForm(), "image", "images/index.html", api().generate_image)
