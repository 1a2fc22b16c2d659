"""``make run``: the whole product in one process, no AWS account.

Start order matters: moto first (everything talks to it), then provisioning from the synthesized
template, the handlers' environment, restoring saved state (before anything can overwrite the
saved files), the local API key and the first-start sample seed, the SQS pollers and the ticker,
and finally uvicorn serving the composed app. Shutdown (Ctrl-C or SIGTERM) stops the background
workers and writes the state one last time.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import logging
import os
import secrets
import signal
import sys
import time
import warnings
from pathlib import Path
from types import FrameType
from typing import Any

import uvicorn

from infra.local.accounts import PROXY_PATH, CognitoProxy, LocalUser, ensure_local_user
from infra.local.cloud import LOCAL_HANDLER_DEFAULTS, LocalCloud, bring_up
from infra.local.gateway import ManagementCredentials, WebSocketGateway
from infra.local.moto_server import EmbeddedMoto
from infra.local.persistence import FlushLoop, StateStore
from infra.local.template import synthesize
from infra.local.ticker import Ticker
from infra.local.web import LocalApp

ROOT = Path(__file__).resolve().parents[2]
LOCAL_TENANT = "local"
REGION = "us-east-1"
log = logging.getLogger("tradewind.local")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m infra.local", description="Run Tradewind locally on an embedded AWS."
    )
    parser.add_argument(
        "--port", type=int, default=8000, help="port of the API, WebSocket and dashboard (8000)"
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (127.0.0.1)")
    parser.add_argument(
        "--data-dir", default=".tradewind", help="where state is kept between runs (.tradewind)"
    )
    parser.add_argument(
        "--no-seed", action="store_true", help="do not seed the sample universe on first start"
    )
    return parser.parse_args(argv)


def _configure_logging() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    logging.getLogger("tradewind.local").setLevel(logging.INFO)
    # Handlers flush Powertools metrics that are disabled locally; the warning is noise here.
    warnings.filterwarnings("ignore", message="No application metrics to publish")


def is_loopback(host: str) -> bool:
    """Whether binding ``host`` keeps the server reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve to any interface


def exposed_warning(host: str, port: int) -> str:
    return "\n".join(
        [
            "",
            f"  WARNING: --host {host} makes this local stack reachable from other machines on port {port}.",
            "  Anyone who can reach it can use the API without an account of yours: the local stack has",
            "  no TLS and its data is your local tenant's. /config.json gives the API key to loopback",
            "  clients only; others must type it in. Use --host 127.0.0.1 unless you mean it.",
            "",
        ]
    )


def _raise_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def ensure_api_key(data_dir: Path) -> str:
    """The local tenant's key: the saved one if it still resolves (state restored), else a new one."""
    from tradewind.services import apikeys

    path = data_dir / "api-key"
    if path.exists():
        secret = path.read_text().strip()
        grant = apikeys.resolve(secret)
        if grant is not None and grant.tenant_id == LOCAL_TENANT:
            return secret
    created = apikeys.create_api_key(LOCAL_TENANT, "local")
    path.write_text(created.secret + "\n")
    path.chmod(0o600)
    return created.secret


def seed_if_empty() -> None:
    """Seed the sample universe when the local tenant has no dataset yet; resume a seed that a
    previous run left unfinished (its execution died with that process, the dataset row did not)."""
    from tradewind import aws
    from tradewind.data.marketdata import IMPORTING, QUEUED
    from tradewind.marketdata.universe import SAMPLE_DATASET_ID
    from tradewind.services import datasets, imports, sample
    from tradewind.settings import get_settings

    pending = imports.load(LOCAL_TENANT, SAMPLE_DATASET_ID)
    if pending is not None and pending.status in (QUEUED, IMPORTING):
        log.info("resuming the interrupted sample seed ...")
        aws.client("stepfunctions").start_execution(
            stateMachineArn=get_settings().seed_state_machine_arn,
            name=f"{LOCAL_TENANT}-{SAMPLE_DATASET_ID}-resumed-{int(time.time() * 1000)}",
            input=json.dumps({"tenant_id": LOCAL_TENANT, "dataset_id": SAMPLE_DATASET_ID}),
        )
        return
    found, _ = datasets.list_datasets(LOCAL_TENANT, limit=1, start_key=None)
    if not found:
        _, started = sample.seed_sample(LOCAL_TENANT)
        if started:
            log.info("seeding the synthetic sample universe (sample-seed state machine) ...")


def handler_environment(cloud: LocalCloud, moto: EmbeddedMoto, public_host: str, port: int) -> dict[str, str]:
    """Every variable the in-process handlers and the API need; shared by all (one process)."""
    return {
        **cloud.env,
        **LOCAL_HANDLER_DEFAULTS,
        "TW_WS_MANAGEMENT_ENDPOINT": f"http://{public_host}:{port}",
        "TW_WS_URL": f"ws://{public_host}:{port}/ws",
        "TW_SITE_URL": f"http://{public_host}:{port}",  # alert links open the dashboard
        "AWS_ENDPOINT_URL": moto.url,
        "MOTO_PORT": str(moto.port),
        # moto's Cognito signs ID tokens (RS256) and serves its JWKS here (docs/accounts.md).
        "TW_COGNITO_JWKS_URL": f"{moto.url}/{cloud.env['TW_COGNITO_USER_POOL_ID']}/.well-known/jwks.json",
    }


def local_origins(public_host: str, port: int) -> list[str]:
    """The origins a browser on this machine opens the dashboard at."""
    names = {public_host, "127.0.0.1", "localhost"} if is_loopback(public_host) else {public_host}
    return sorted(f"http://{name}:{port}" for name in names)


def allow_browser_uploads(bucket: str, origins: list[str]) -> None:
    """Let the dashboard PUT uploads to the data bucket through presigned URLs.

    Those URLs point at the embedded moto (another port, so another origin than the dashboard's):
    the browser sends a CORS preflight, which moto answers from the bucket's CORS rules like S3.
    The template's rule (infra/stack.py ``_allow_browser_uploads``) names the stage's fixed
    origins; this server's own, on whatever port it runs, join them."""
    from botocore.exceptions import ClientError
    from tradewind import aws

    s3 = aws.client("s3")
    try:
        rules = s3.get_bucket_cors(Bucket=bucket)["CORSRules"]
    except ClientError:
        rules = []
    uploads = [rule for rule in rules if "PUT" in rule.get("AllowedMethods", [])]
    if not uploads:
        uploads = [
            {
                "AllowedMethods": ["PUT"],
                "AllowedHeaders": ["*"],
                "ExposeHeaders": ["ETag"],
                "MaxAgeSeconds": 3000,
            }
        ]
        rules.append(uploads[0])
    for rule in uploads:
        rule["AllowedOrigins"] = sorted({*rule.get("AllowedOrigins", []), *origins})
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": rules})


def _banner(
    public: str, api_key: str, data_dir: Path, restored: dict[str, int], user: LocalUser | None = None
) -> str:
    restored_text = ", ".join(f"{count} {kind}" for kind, count in restored.items())
    ws = f"ws://{public.removeprefix('http://')}/ws"
    return "\n".join(
        [
            "",
            "  Tradewind is running locally (embedded AWS, nothing leaves this machine)",
            f"  Dashboard      {public}/",
            f"  API            {public}   docs: {public}/docs",
            f"  WebSocket      {ws}?ticket=<ticket from POST /realtime/tickets>",
            f"  Local API key  {api_key}",
            *([f"  Sign in as     {user.email}   password: {user.password}"] if user else []),
            f"  Data dir       {data_dir}   (restored {restored_text})",
            "  Stop with Ctrl-C: state is saved and comes back on the next start.",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    """Run until interrupted."""
    args = parse_args(argv)
    _configure_logging()
    signal.signal(signal.SIGTERM, _raise_on_sigterm)
    data_dir = Path(args.data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    public_host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    if not is_loopback(args.host):
        print(exposed_warning(args.host, args.port), file=sys.stderr, flush=True)
    # A secret access key per start, known only to this process: the handlers' management client
    # signs @connections requests with it, and the local gateway refuses any other (moto ignores it).
    management = ManagementCredentials("local", secrets.token_urlsafe(32))
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": management.access_key,
            "AWS_SECRET_ACCESS_KEY": management.secret_key,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
        }
    )
    os.environ.pop("AWS_PROFILE", None)
    os.environ.pop("AWS_SESSION_TOKEN", None)
    moto = EmbeddedMoto("127.0.0.1")
    moto.start()
    # moto checks authenticator (TOTP) codes only when asked to: as Cognito does (docs/accounts.md).
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": moto.url,
            "MOTO_PORT": str(moto.port),
            "MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP": "true",
        }
    )
    # For tests (LocalStack.moto_url): the admin side of the embedded AWS, e.g. Cognito's Admin* calls.
    (data_dir / "moto-url").write_text(moto.url + "\n")
    flush: FlushLoop | None = None
    ticker: Ticker | None = None
    cloud: LocalCloud | None = None
    try:
        cloud = bring_up(synthesize(ROOT), ROOT / "functions", REGION)
        os.environ.update(handler_environment(cloud, moto, public_host, args.port))
        from tradewind.aws import reset_clients

        reset_clients()
        allow_browser_uploads(cloud.env["TW_DATA_BUCKET"], local_origins(public_host, args.port))
        provisioned = cloud.provisioned
        store = StateStore(
            data_dir,
            list(provisioned.tables.values()),
            list(provisioned.buckets.values()),
            list(provisioned.queues.values()),
            REGION,
        )
        restored = store.restore()
        flush = FlushLoop(store, moto.tracker.changed)
        flush.start()
        api_key = ensure_api_key(data_dir)
        local_user = ensure_local_user(data_dir, cloud.env["TW_COGNITO_USER_POOL_ID"], LOCAL_TENANT)
        if not args.no_seed:
            seed_if_empty()
        warm_up(cloud)
        recover_jobs()
        cloud.execution_events.start()
        cloud.poller.start()
        ticker = Ticker(region=REGION)
        ticker.start()
        serve(cloud, args, public_host, api_key, data_dir, restored, management, local_user, moto.url)
    except KeyboardInterrupt:
        pass
    finally:
        if ticker:
            ticker.stop()
        if cloud:
            cloud.execution_events.stop()
            cloud.poller.stop()
        if flush:
            flush.stop()
            log.info("state saved to %s", data_dir)


def recover_jobs() -> dict[str, list[str]]:
    """No job left behind (issue #13): executions do not survive a restart, so every job that was
    queued or running is resumed over the shards (pipeline: batches) not yet counted, or failed with
    the reason when it cannot be (``tradewind.jobs.recovery``)."""
    from tradewind.jobs.recovery import recover_all

    outcome = recover_all()
    for what in ("resumed", "succeeded", "failed", "skipped"):
        if outcome.get(what):
            log.info("%s %d interrupted job(s): %s", what, len(outcome[what]), ", ".join(outcome[what]))
    return outcome


def warm_up(cloud: LocalCloud) -> None:
    """Initialize the handlers and the API's data path before the first request, not during it.

    In AWS each Lambda pays its INIT on its first invocation; this single process pays them all at
    start-up instead, so a job submitted right after start runs as fast as the next one (and the
    figures of ``bench_jobs`` measure the product, not Python's first imports). Every table model
    makes one cheap call, which builds its botocore client (pynamodb keeps one per model).
    """
    started = time.perf_counter()
    functions = cloud.runtime.initialize_all()
    from tradewind import aws
    from tradewind.data import jobs, marketdata, models, notifications, strategies  # noqa: F401
    from tradewind.data.table import SettingsBoundModel
    from tradewind.jobs import lifecycle, results, submit  # noqa: F401  the job routes' use cases
    from tradewind.settings import get_settings

    for service in ("dynamodb", "s3", "stepfunctions", "sqs"):
        aws.client(service)
    aws.management_client(get_settings().ws_management_endpoint)
    for model in _all_models(SettingsBoundModel):
        model.describe_table()
    log.info("initialized %d handlers and the API in %.1f s", functions, time.perf_counter() - started)


def _all_models(base: type[Any]) -> list[type[Any]]:
    """``base``'s subclasses at every depth (each holds its own pynamodb connection)."""
    return [m for child in base.__subclasses__() for m in (child, *_all_models(child))]


def serve(
    cloud: LocalCloud,
    args: argparse.Namespace,
    public_host: str,
    api_key: str,
    data_dir: Path,
    restored: dict[str, int],
    management: ManagementCredentials,
    local_user: LocalUser,
    moto_url: str,
) -> None:
    """Serve the composed app with uvicorn until a signal stops it."""
    from tradewind.api.app import create_app

    public = f"http://{public_host}:{args.port}"
    gateway = WebSocketGateway(cloud.runtime, cloud.provisioned.websocket_routes, management)
    config = {
        "apiUrl": public,
        "wsUrl": f"ws://{public_host}:{args.port}/ws",
        "stage": "local",
        "apiKey": api_key,
        # Sign-in: the browser calls Cognito on this origin (/cognito/, forwarded to moto).
        "cognito": {
            "region": REGION,
            "userPoolId": cloud.env["TW_COGNITO_USER_POOL_ID"],
            "clientId": cloud.provisioned.user_pool_clients["web"],
            "cliClientId": cloud.provisioned.user_pool_clients["cli"],
            "endpoint": f"{public}{PROXY_PATH}",
        },
    }
    app = LocalApp(
        create_app(),
        gateway,
        config,
        ROOT / "frontend" / "dist",
        public_host=public_host,
        cognito=CognitoProxy(moto_url),
    )
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host=args.host,
            port=args.port,
            loop="uvloop",
            http="httptools",
            ws="websockets-sansio",
            log_level="warning",
            access_log=False,
            lifespan="off",
        )
    )
    print(_banner(public, api_key, data_dir, restored, local_user), flush=True)
    server.run()


if __name__ == "__main__":
    main(sys.argv[1:])
