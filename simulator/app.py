"""`create_app(config)`: the simulator as an ASGI application (Starlette)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp

from simulator.account import credits, current_key, generation, list_models
from simulator.chat import chat_completions
from simulator.common import error_response
from simulator.config import SimulatorConfig
from simulator.control import CONTROL_ROUTES
from simulator.images_api import create_images
from simulator.middleware import SimulatorMiddleware
from simulator.state import SimState
from simulator.video import poll_video, submit_video, video_content, video_models

API = "/api/v1"


async def _http_error(_request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    return error_response(status, "Not Found" if status == 404 else str(exc))


def create_app(config: SimulatorConfig | None = None) -> ASGIApp:
    """A fresh simulator with its own state; nothing is shared between two apps."""
    state = SimState(config or SimulatorConfig())
    routes = [
        Route(f"{API}/chat/completions", chat_completions, methods=["POST"]),
        Route(f"{API}/images", create_images, methods=["POST"]),
        Route(f"{API}/models", list_models, methods=["GET"]),
        Route(f"{API}/key", current_key, methods=["GET"]),
        Route(f"{API}/auth/key", current_key, methods=["GET"]),
        Route(f"{API}/credits", credits, methods=["GET"]),
        Route(f"{API}/generation", generation, methods=["GET"]),
        Route(f"{API}/videos", submit_video, methods=["POST"]),
        Route(f"{API}/videos/models", video_models, methods=["GET"]),
        Route(f"{API}/videos/{{job_id}}", poll_video, methods=["GET"]),
        Route(f"{API}/videos/{{job_id}}/content", video_content, methods=["GET"]),
        *CONTROL_ROUTES,
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: _http_error})
    app.state.simulator = state
    return SimulatorMiddleware(app, state)
