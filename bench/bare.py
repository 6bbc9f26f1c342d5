"""The baseline: a bare FastAPI app on the API's own server settings and HTTP client settings.

`POST /api/v1/chat/completions` forwards the body to the upstream as it is (no auth, no
validation, no recording) and returns the upstream's answer; `GET /hello` is a JSON hello.

    python bench/bare.py --port 9000 --upstream http://127.0.0.1:8100/api/v1
"""

from __future__ import annotations

import argparse

import uvicorn
from fastapi import FastAPI, Request, Response

from adapters.openrouter.client import make_http_client
from entrypoints.api.server import uvicorn_config


def create_bare_app(upstream: str, api_key: str) -> FastAPI:
    app = FastAPI()
    client = make_http_client()
    target = upstream.rstrip("/") + "/chat/completions"
    auth = {"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"}

    @app.post("/api/v1/chat/completions")
    async def forward(request: Request) -> Response:
        answer = await client.post(target, content=await request.body(), headers=auth)
        return Response(answer.content, answer.status_code, media_type="application/json")

    @app.get("/hello")
    async def hello() -> dict[str, str]:
        return {"hello": "world"}

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--api-key", default="sk-or-v1-simulator")
    args = parser.parse_args()
    app = create_bare_app(args.upstream, args.api_key)
    uvicorn.Server(uvicorn_config(app, "127.0.0.1", args.port)).run()


if __name__ == "__main__":
    main()
