"""The `allucanget` command: serve | api | web | create-admin | users | migrate-data | demo |
simulator."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path

from entrypoints.settings import ConfigurationError, Settings, load_settings


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", help="listen address (ALLUCANGET_HOST, default 127.0.0.1)")
    parser.add_argument("--api-port", type=int, help="API port (ALLUCANGET_API_PORT, 8000)")
    parser.add_argument("--web-port", type=int, help="web UI port (ALLUCANGET_WEB_PORT, 5000)")
    parser.add_argument("--data-dir", type=Path, help="data directory (ALLUCANGET_DATA_DIR)")


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(
        host=args.host,
        api_port=args.api_port,
        web_port=args.web_port,
        data_dir=args.data_dir,
        api_workers=getattr(args, "workers", None),
    )


def cmd_api(args: argparse.Namespace) -> int:
    from entrypoints.api.server import serve_api

    return serve_api(_settings(args))


def cmd_web(args: argparse.Namespace) -> int:
    from entrypoints.settings import load_web_settings
    from entrypoints.web.server import serve

    serve(
        load_web_settings(
            host=args.host, api_port=args.api_port, web_port=args.web_port, data_dir=args.data_dir
        )
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from entrypoints.supervisor import supervise

    return supervise(_settings(args))


def cmd_demo(args: argparse.Namespace) -> int:
    from entrypoints.demo import run_demo

    data_dir = args.data_dir or Path("./data-demo")
    settings = load_settings(
        host=args.host, api_port=args.api_port, web_port=args.web_port, data_dir=data_dir
    )
    return run_demo(settings, args.simulator_port)


def cmd_create_admin(args: argparse.Namespace) -> int:
    from entrypoints.admin_cli import create_admin

    settings = _settings(args)
    password = os.environ.get("ALLUCANGET_ADMIN_PASSWORD") or getpass.getpass("Admin password: ")
    return asyncio.run(create_admin(settings, args.email, password))


def cmd_users(args: argparse.Namespace) -> int:
    from entrypoints.admin_cli import list_users, set_role

    settings = _settings(args)
    if args.action == "list":
        return asyncio.run(list_users(settings, args.query))
    if not (args.email and args.role in ("user", "admin")):
        print("allucanget users set-role needs --email and --role user|admin", file=sys.stderr)
        return 2
    return asyncio.run(set_role(settings, args.email, args.role))


def cmd_migrate_data(args: argparse.Namespace) -> int:
    from entrypoints.migrate_data import migrate_data

    return migrate_data(_settings(args), args.to)


def cmd_simulator(args: argparse.Namespace) -> int:
    from simulator.cli import main as simulator_main

    return simulator_main(args.rest)


COMMANDS: dict[str, tuple[str, Callable[[argparse.Namespace], int]]] = {
    "serve": ("run the API and the web UI together", cmd_serve),
    "api": ("run the REST API alone", cmd_api),
    "web": ("run the web UI alone", cmd_web),
    "create-admin": ("create the first admin (or promote an account)", cmd_create_admin),
    "users": ("list users, or set a role (recovery; the API must be stopped)", cmd_users),
    "migrate-data": (
        "copy this DuckDB deployment into an empty PostgreSQL database (the API stopped)",
        cmd_migrate_data,
    ),
    "demo": ("run the platform offline against the OpenRouter simulator", cmd_demo),
    "simulator": ("run the OpenRouter simulator on loopback", cmd_simulator),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="allucanget", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, _) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text)
        if name == "simulator":
            command.add_argument("rest", nargs=argparse.REMAINDER)
            continue
        _common(command)
        if name == "create-admin":
            command.add_argument("--email", required=True)
        if name == "users":
            command.add_argument("action", choices=["list", "set-role"])
            command.add_argument("--query", help="email substring (list)")
            command.add_argument("--email", help="whose role to set (set-role)")
            command.add_argument("--role", choices=["user", "admin"])
        if name == "migrate-data":
            command.add_argument(
                "--to",
                required=True,
                metavar="postgresql://...",
                help="the empty PostgreSQL database (a password may come from PGPASSWORD or "
                "~/.pgpass instead of the URL)",
            )
        if name == "demo":
            command.add_argument("--simulator-port", type=int, default=8100)
        if name in ("api", "serve"):
            command.add_argument(
                "--workers",
                type=int,
                help="API processes on the one port (ALLUCANGET_API_WORKERS, 1; "
                "more than 1 needs PostgreSQL)",
            )
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["simulator"]:  # its own flags go straight to the simulator's parser
        from simulator.cli import main as simulator_main

        return simulator_main(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command][1](args)
    except ConfigurationError as exc:
        print(f"allucanget: configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
