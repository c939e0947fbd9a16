"""Annotated dependency aliases for the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine

from dantoc_aggregate.kafka.catalog_follower import CatalogFollower
from dantoc_aggregate.kafka.pipeline import ValuesPipeline
from dantoc_aggregate.metrics import AggregateMetrics


def _engine(request: Request) -> AsyncEngine:
    engine: AsyncEngine = request.app.state.engine
    return engine


def _metrics(request: Request) -> AggregateMetrics:
    metrics: AggregateMetrics = request.app.state.metrics
    return metrics


def _follower(request: Request) -> CatalogFollower:
    follower: CatalogFollower = request.app.state.follower
    return follower


def _pipeline(request: Request) -> ValuesPipeline:
    pipeline: ValuesPipeline = request.app.state.pipeline
    return pipeline


EngineDep = Annotated[AsyncEngine, Depends(_engine)]
MetricsDep = Annotated[AggregateMetrics, Depends(_metrics)]
FollowerDep = Annotated[CatalogFollower, Depends(_follower)]
PipelineDep = Annotated[ValuesPipeline, Depends(_pipeline)]
