"""Strategy routes: the caller's versioned strategy documents, validation, import/export, templates.

Literal paths (``/templates``, ``/indicators``, ``/validate``, ``/import``) are declared before
``/{strategy_id}`` so that they are never taken for an id.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Path, Query, Response, status
from pydantic import BaseModel, Field, StringConstraints, model_validator

from tradewind.api.auth import Tenant
from tradewind.api.errors import problems
from tradewind.api.pagination import Limit, NextToken, Page, decode_token, encode_token
from tradewind.data.keys import tenant_pk
from tradewind.services import strategies
from tradewind.strategy import Strategy
from tradewind.text import Description, Name

router = APIRouter(prefix="/strategies", tags=["strategies"])

StrategyId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
VersionPath = Annotated[int, Path(ge=1, le=strategies.MAX_VERSION)]
VersionQuery = Annotated[
    int | None, Query(ge=1, le=strategies.MAX_VERSION, description="a version; omit for the latest")
]
Tag = Annotated[Name, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Tags = Annotated[list[Tag], Field(max_length=20, description="labels, compared case-insensitively")]
Note = Annotated[Description | None, Field(max_length=500, description="what this version changed")]
DOCUMENT = "the strategy document (docs/strategy.schema.json)"


class StrategyIn(BaseModel):
    """A new strategy: a ``document`` or the name of a built-in ``template`` (exactly one)."""

    document: Strategy | None = Field(default=None, description=DOCUMENT)
    template: str | None = Field(default=None, max_length=100, examples=["sma_cross"])
    name: Name | None = Field(default=None, min_length=1, max_length=200, description="replaces the name")
    tags: Tags = Field(default_factory=list)
    note: Note = None

    @model_validator(mode="after")
    def _one_source(self) -> StrategyIn:
        if (self.document is None) == (self.template is None):
            raise ValueError("give exactly one of document or template")
        return self


class StrategyUpdate(BaseModel):
    """The next version: the whole document, and the version it was edited from."""

    expected_version: int = Field(ge=1, description="the `latest_version` you edited; stale answers 409")
    document: Strategy = Field(description=DOCUMENT)
    tags: Tags | None = Field(default=None, description="replaces the tags; omit to keep them")
    note: Note = None


class StrategySummaryOut(BaseModel):
    strategy_id: str
    name: str
    description: str | None
    tags: list[str]
    latest_version: int
    created_at: datetime
    updated_at: datetime


class StrategyOut(StrategySummaryOut):
    """A strategy with one version's document (the latest unless another was asked for)."""

    version: int
    note: str | None
    version_created_at: datetime
    document: Strategy


class VersionOut(BaseModel):
    strategy_id: str
    version: int
    name: str
    note: str | None
    created_at: datetime


class VersionDocumentOut(VersionOut):
    document: Strategy


class TemplateSummaryOut(BaseModel):
    template: str = Field(description="what `POST /strategies` takes as `template`")
    name: str
    description: str | None
    parameters: list[str]


class TemplateOut(TemplateSummaryOut):
    document: Strategy


class TemplatesOut(BaseModel):
    items: list[TemplateSummaryOut]


class IndicatorParamOut(BaseModel):
    name: str
    default: float
    integer: bool = Field(description="takes whole numbers only")
    minimum: float = Field(description="the smallest value accepted")


class IndicatorKindOut(BaseModel):
    kind: str = Field(description="what an indicator's `kind` takes")
    inputs: Literal["source", "hlc", "hl", "volume"] = Field(
        description="`source` reads the indicator's `source`; the others high/low/close, high/low or volume"
    )
    params: list[IndicatorParamOut]
    outputs: list[str] = Field(description="`id.output` references; the first is what a bare `id` means")


class IndicatorKindsOut(BaseModel):
    items: list[IndicatorKindOut]


class ValidationProblem(BaseModel):
    loc: list[str | int] = Field(description="path inside the document", examples=[["rules", 0, "when"]])
    path: str = Field(description="the same path as JSONPath", examples=["$.rules[0].when"])
    msg: str
    type: str


class ValidationOut(BaseModel):
    valid: bool
    errors: list[ValidationProblem]


def _summary(head: strategies.StrategyHead) -> StrategySummaryOut:
    return StrategySummaryOut(**vars(head))


def _out(stored: strategies.StoredStrategy) -> StrategyOut:
    v = stored.version
    return StrategyOut(
        **vars(stored.head),
        version=v.version,
        note=v.note,
        version_created_at=v.created_at,
        document=stored.strategy,
    )


def _json_path(loc: list[str | int]) -> str:
    parts = ["$"]
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part):
            parts.append(f".{part}")
        else:
            parts.append(f"[{part!r}]")
    return "".join(parts)


@router.get("/templates", summary="List the built-in strategy templates")
def list_templates(tenant: Tenant) -> TemplatesOut:
    items = [
        TemplateSummaryOut(
            template=name, name=s.name, description=s.description, parameters=list(s.parameters)
        )
        for name, s in strategies.list_templates()
    ]
    return TemplatesOut(items=items)


@router.get("/indicators", summary="List the indicator kinds with their parameters and outputs")
def list_indicator_kinds(tenant: Tenant) -> IndicatorKindsOut:
    items = [
        IndicatorKindOut(
            kind=kind,
            inputs=spec.inputs,
            params=[
                IndicatorParamOut(name=name, default=p.default, integer=p.integer, minimum=p.minimum)
                for name, p in spec.params.items()
            ],
            outputs=list(spec.outputs),
        )
        for kind, spec in strategies.indicator_kinds()
    ]
    return IndicatorKindsOut(items=items)


@router.get("/templates/{name}", responses=problems(404), summary="Get a built-in template's document")
def get_template(tenant: Tenant, name: Annotated[str, Path(max_length=100)]) -> TemplateOut:
    s = strategies.get_template(name)
    return TemplateOut(
        template=name, name=s.name, description=s.description, parameters=list(s.parameters), document=s
    )


@router.post("/validate", summary="Check a document and list every problem (nothing is saved)")
def validate(
    tenant: Tenant,
    document: Annotated[dict[str, Any], Body(description=DOCUMENT)],
    n_bars: Annotated[
        int | None, Query(ge=1, description="also check windows against this much data")
    ] = None,
) -> ValidationOut:
    problems = strategies.validate_document(document, n_bars)
    errors = [ValidationProblem(loc=p.loc, path=_json_path(p.loc), msg=p.msg, type=p.type) for p in problems]
    return ValidationOut(valid=not errors, errors=errors)


@router.post("/import", status_code=status.HTTP_201_CREATED, summary="Store a document as a new strategy")
def import_strategy(tenant: Tenant, document: Annotated[Strategy, Body(description=DOCUMENT)]) -> StrategyOut:
    return _out(strategies.import_strategy(tenant, document))


@router.get("", summary="List and search your strategies, newest first")
def list_all(
    tenant: Tenant,
    limit: Limit = 50,
    next_token: NextToken = None,
    q: Annotated[str | None, Query(max_length=100, description="name contains (case-insensitive)")] = None,
    match: Annotated[strategies.Match, Query(description="where `q` must match the name")] = "contains",
    tag: Annotated[str | None, Query(max_length=40, description="has this tag")] = None,
) -> Page[StrategySummaryOut]:
    start = decode_token(next_token, partition=tenant_pk(tenant), sort_prefix="STRATEGY#")
    items, last = strategies.list_strategies(tenant, limit, start, q=q, match=match, tag=tag)
    return Page(items=[_summary(h) for h in items], next_token=encode_token(last))


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a strategy (version 1)")
def create(tenant: Tenant, body: StrategyIn) -> StrategyOut:
    stored = strategies.create_strategy(
        tenant,
        document=body.document,
        template=body.template,
        name=body.name,
        tags=body.tags,
        note=body.note,
    )
    return _out(stored)


@router.get(
    "/{strategy_id}", responses=problems(404), summary="Get a strategy with its latest (or a given) version"
)
def get(tenant: Tenant, strategy_id: StrategyId, version: VersionQuery = None) -> StrategyOut:
    return _out(strategies.get_strategy(tenant, strategy_id, version))


@router.put(
    "/{strategy_id}",
    responses=problems(404, 409),
    summary="Save the next version (optimistic locking on expected_version)",
)
def update(tenant: Tenant, strategy_id: StrategyId, body: StrategyUpdate) -> StrategyOut:
    stored = strategies.update_strategy(
        tenant,
        strategy_id,
        expected_version=body.expected_version,
        document=body.document,
        tags=body.tags,
        note=body.note,
    )
    return _out(stored)


@router.delete(
    "/{strategy_id}",
    responses=problems(404, 409),
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a strategy and its versions",
)
def delete(tenant: Tenant, strategy_id: StrategyId) -> None:
    strategies.delete_strategy(tenant, strategy_id)


@router.get(
    "/{strategy_id}/versions", responses=problems(404), summary="List a strategy's versions, newest first"
)
def list_versions(
    tenant: Tenant, strategy_id: StrategyId, limit: Limit = 50, next_token: NextToken = None
) -> Page[VersionOut]:
    start = decode_token(next_token, partition=tenant_pk(tenant), sort_prefix=f"STRATVER#{strategy_id}#")
    items, last = strategies.list_versions(tenant, strategy_id, limit, start)
    return Page(items=[VersionOut(**vars(v)) for v in items], next_token=encode_token(last))


@router.get(
    "/{strategy_id}/versions/{version}", responses=problems(404), summary="Get one version with its document"
)
def get_version(tenant: Tenant, strategy_id: StrategyId, version: VersionPath) -> VersionDocumentOut:
    stored = strategies.get_strategy(tenant, strategy_id, version, version_loc=("path", "version"))
    return VersionDocumentOut(**vars(stored.version), document=stored.strategy)


@router.get(
    "/{strategy_id}/export",
    summary="Download a version's document as JSON (import takes it back unchanged)",
    response_class=Response,
    responses={**problems(404), 200: {"content": {"application/json": {}}, "description": DOCUMENT}},
)
def export(tenant: Tenant, strategy_id: StrategyId, version: VersionQuery = None) -> Response:
    stored = strategies.get_strategy(tenant, strategy_id, version)
    slug = re.sub(r"[^a-z0-9]+", "-", stored.head.name.lower()).strip("-") or "strategy"
    filename = f"{slug}-v{stored.version.version}.json"
    return Response(
        stored.document,
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
