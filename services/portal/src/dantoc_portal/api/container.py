"""What the routes are given: built once by the composition root, held on `app.state.container`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from jinja2 import Environment
from sqlalchemy.ext.asyncio import AsyncEngine

from dantoc_portal.auth.passwords import Passwords
from dantoc_portal.auth.signing import SigningKey
from dantoc_portal.clients.services import Services
from dantoc_portal.db.uow import UnitOfWorkFactory
from dantoc_portal.domain.accounts import Lockout
from dantoc_portal.metrics import PortalMetrics
from dantoc_portal.services.signin import SessionPolicy
from dantoc_portal.services.tokens import TokenIssuer
from dantoc_portal.settings import Settings


@dataclass
class Container:
    settings: Settings
    engine: AsyncEngine
    uow: UnitOfWorkFactory
    passwords: Passwords
    lockout: Lockout
    policy: SessionPolicy
    key: SigningKey
    tokens: TokenIssuer
    services: Services
    metrics: PortalMetrics
    templates: Environment

    @classmethod
    def build(
        cls,
        settings: Settings,
        engine: AsyncEngine,
        uow: UnitOfWorkFactory,
        key: SigningKey,
        services: Services,
        metrics: PortalMetrics,
        templates: Environment,
    ) -> Container:
        return cls(
            settings=settings,
            engine=engine,
            uow=uow,
            passwords=Passwords(),
            lockout=Lockout(settings.lockout_failures, settings.lockout_minutes),
            policy=SessionPolicy(timedelta(hours=settings.session_hours), timedelta(minutes=settings.idle_minutes)),
            key=key,
            tokens=TokenIssuer(key, settings.token_minutes),
            services=services,
            metrics=metrics,
            templates=templates,
        )
