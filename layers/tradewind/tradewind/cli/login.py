"""``tradewind login | logout | whoami``: sign in as a person (docs/accounts.md#cli).

``--api-key`` / ``TW_API_KEY`` still win over a signed-in session on every remote command.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys

from tradewind.cli.remote import DEFAULT_API_URL


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    for name, func, text in (
        ("login", _login, "sign in with email and password (tokens kept in your config dir, mode 0600)"),
        ("logout", _logout, "forget the signed-in session of this API"),
        ("whoami", _whoami, "who the API sees: person or key, organisation and role"),
    ):
        parser = subparsers.add_parser(name, help=text, description=text)
        parser.add_argument("--api-url", help=f"the API (TW_API_URL; default {DEFAULT_API_URL})")
        if name == "login":
            parser.add_argument(
                "--site", help="the web app serving config.json (TW_SITE_URL; default the API URL)"
            )
            parser.add_argument("--email", help="your email (asked when missing)")
            parser.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
        if name == "whoami":
            parser.add_argument("--api-key", help="ask as this key instead (TW_API_KEY)")
        parser.set_defaults(func=func)


def _api_url(args: argparse.Namespace) -> str:
    return str(args.api_url or os.environ.get("TW_API_URL") or DEFAULT_API_URL).rstrip("/")


def _login(args: argparse.Namespace) -> int:
    from tradewind.cli import credentials

    api_url = _api_url(args)
    site = args.site or os.environ.get("TW_SITE_URL") or api_url
    email = args.email or input("Email: ").strip()
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Password: ")
    session = credentials.login(api_url, site, email, password)
    print(f"Signed in to {api_url} as {session.email} (tokens in {credentials.credentials_path()})")
    return 0


def _logout(args: argparse.Namespace) -> int:
    from tradewind.cli import credentials

    api_url = _api_url(args)
    print(f"Signed out of {api_url}" if credentials.logout(api_url) else f"Not signed in to {api_url}")
    return 0


def _whoami(args: argparse.Namespace) -> int:
    from tradewind.cli.remote import Client, Endpoint

    with Client(Endpoint.from_env(args.api_url, args.api_key)) as client:
        me = client.call("GET", "/me")
    print(json.dumps(me, indent=2))
    return 0
