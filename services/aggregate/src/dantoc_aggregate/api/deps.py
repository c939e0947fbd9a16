"""Annotated dependency aliases for the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine

from dantoc_aggregate.api.problems import ProblemError
from dantoc_aggregate.auth.tokens import InvalidToken, TokenVerifier
from dantoc_aggregate.db.uow import UnitOfWork
from dantoc_aggregate.kafka.catalog_follower import CatalogFollower
from dantoc_aggregate.kafka.values_consumer import ValuesConsumer
from dantoc_aggregate.metrics import AggregateMetrics
from dantoc_contracts.access import Principal, Right, Role


def _engine(request: Request) -> AsyncEngine:
    engine: AsyncEngine = request.app.state.engine
    return engine


def _uow(request: Request) -> UnitOfWork:
    """A unit of work for one request's use case (entered and ended by the use case)."""
    return UnitOfWork(request.app.state.sessions)


def _metrics(request: Request) -> AggregateMetrics:
    metrics: AggregateMetrics = request.app.state.metrics
    return metrics


def _follower(request: Request) -> CatalogFollower:
    follower: CatalogFollower = request.app.state.follower
    return follower


def _consumer(request: Request) -> ValuesConsumer:
    consumer: ValuesConsumer = request.app.state.consumer
    return consumer


async def _national(request: Request) -> Principal:
    """The verified caller, who must hold a national token with the read right: 401 without a valid bearer
    token, 403 for any other role (the aggregates cover every province)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ProblemError(
            401,
            "Authentication required",
            [("Authorization", "missing_token", "Cần mã truy cập (Bearer).", "A bearer token is required.")],
        )
    verifier: TokenVerifier = request.app.state.verifier
    try:
        principal = await verifier.verify(token.strip())
    except InvalidToken as error:
        raise ProblemError(
            401,
            "Authentication failed",
            [("Authorization", "invalid_token", "Mã truy cập không hợp lệ.", f"Invalid token: {error}")],
        ) from error
    if principal.role is not Role.NATIONAL or not principal.may(Right.READ):
        raise ProblemError(
            403,
            "Forbidden",
            [
                (
                    "Authorization",
                    "national_token_required",
                    "Chỉ tài khoản cấp trung ương được đọc số liệu tổng hợp.",
                    "Only a national token with the read right may read the aggregates.",
                )
            ],
        )
    return principal


EngineDep = Annotated[AsyncEngine, Depends(_engine)]
UowDep = Annotated[UnitOfWork, Depends(_uow)]
MetricsDep = Annotated[AggregateMetrics, Depends(_metrics)]
FollowerDep = Annotated[CatalogFollower, Depends(_follower)]
ConsumerDep = Annotated[ValuesConsumer, Depends(_consumer)]
NationalDep = Annotated[Principal, Depends(_national)]
