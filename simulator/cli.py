"""Command line: `python -m simulator --host 127.0.0.1 --port 8100 [--latency-ms N] …`."""

from __future__ import annotations

import argparse

from simulator.config import DEFAULT_API_KEY, Scenario, SimulatorConfig
from simulator.faults import UnknownFaultError, parse_fault
from simulator.server import run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="simulator", description="Loopback simulator of the OpenRouter API (/api/v1)."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--api-key", default=DEFAULT_API_KEY)
    parser.add_argument(
        "--latency-ms",
        type=int,
        default=0,
        help="delay before each response (and before the first stream chunk)",
    )
    parser.add_argument(
        "--chunk-delay-ms", type=int, default=0, help="delay between streamed chunks"
    )
    parser.add_argument(
        "--fault", default=None, help="default fault for every request, e.g. 429 or flaky:2:503"
    )
    parser.add_argument(
        "--video-polls",
        type=int,
        default=1,
        help="polls a video job stays pending (and then in_progress)",
    )
    parser.add_argument("--log-level", default="info")
    return parser


def config_from(args: argparse.Namespace) -> SimulatorConfig:
    if args.fault:
        parse_fault(args.fault)
    scenario = Scenario(
        fault=args.fault,
        latency_ms=args.latency_ms,
        chunk_delay_ms=args.chunk_delay_ms,
        video_pending_polls=args.video_polls,
        video_in_progress_polls=args.video_polls,
    )
    return SimulatorConfig(api_key=args.api_key, scenario=scenario)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        config = config_from(args)
    except UnknownFaultError as exc:
        print(f"simulator: {exc}")
        return 2
    run(args.host, args.port, config, log_level=args.log_level)
    return 0
