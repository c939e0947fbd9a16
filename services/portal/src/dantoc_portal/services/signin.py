"""Sign-in, sessions, sign-out and the password change: the portal's own identity provider.

The rest of the portal sees only `Person` (who is signed in) and the session's CSRF token; an external OpenID
Connect provider would replace `sign_in` (and the password pages) with its redirect, and put the same `Person` in
the same session, leaving the pages, the tokens and the other services as they are."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from dantoc_portal.auth.passwords import Passwords
from dantoc_portal.db.models import AccountEventRow, AccountRow, LoginAuditRow, SessionRow
from dantoc_portal.db.uow import UnitOfWork
from dantoc_portal.domain.accounts import FieldProblem, Lockout, is_locked, normal_username, password_problems
from dantoc_portal.domain.roles import Person, PortalRole

USERNAME_WIDTH, AGENT_WIDTH = 64, 300


class Outcome(StrEnum):
    SUCCESS = "success"
    BAD_PASSWORD = "bad_password"
    UNKNOWN_USER = "unknown_user"
    LOCKED = "locked"
    DISABLED = "disabled"


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    lifetime: timedelta
    idle: timedelta


@dataclass(frozen=True, slots=True)
class Client:
    """Where a request comes from, for the audit."""

    ip: str
    user_agent: str


@dataclass(frozen=True, slots=True)
class SignedIn:
    outcome: Outcome
    secret: str | None = None  # the session cookie's value, on success
    locked_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class Current:
    """The session of a request: who, its CSRF token, and whether the password must be changed first."""

    account_id: int
    person: Person
    csrf_token: str
    must_change_password: bool
    session_hash: str


def session_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def person_of(account: AccountRow) -> Person:
    return Person(account.username, account.display_name, PortalRole(account.role), account.unit_code, account.agency)


async def sign_in(
    *,
    uow: UnitOfWork,
    passwords: Passwords,
    lockout: Lockout,
    policy: SessionPolicy,
    username: str,
    password: str,
    client: Client,
    now: datetime,
) -> SignedIn:
    """Check the password; on success open a session. Every attempt is in the login audit."""
    name = normal_username(username)[:USERNAME_WIDTH]
    async with uow:
        account = await uow.accounts.by_username(name)
        if account is None:
            await passwords.verify(None, password)  # the same time as a wrong password: no probing for names
            result = SignedIn(Outcome.UNKNOWN_USER)
        elif account.disabled:
            result = SignedIn(Outcome.DISABLED)
        elif is_locked(account.locked_until, now):
            result = SignedIn(Outcome.LOCKED, locked_until=account.locked_until)
        elif not await passwords.verify(account.password_hash, password):
            account.failed_logins, account.locked_until = lockout.after_failure(account.failed_logins, now)
            locked = account.locked_until is not None
            result = SignedIn(Outcome.LOCKED if locked else Outcome.BAD_PASSWORD, locked_until=account.locked_until)
        else:
            account.failed_logins, account.locked_until = 0, None
            if passwords.needs_rehash(account.password_hash):
                account.password_hash = await passwords.hash(password)
            secret = secrets.token_urlsafe(32)
            uow.sessions.add(
                SessionRow(
                    id_hash=session_hash(secret),
                    account_id=account.id,
                    csrf_token=secrets.token_urlsafe(32),
                    created_at=now,
                    last_seen_at=now,
                    expires_at=now + policy.lifetime,
                    ip=client.ip[:64],
                    user_agent=client.user_agent[:AGENT_WIDTH],
                )
            )
            result = SignedIn(Outcome.SUCCESS, secret=secret)
        uow.logins.add(
            LoginAuditRow(
                at=now,
                username=name,
                account_id=account.id if account else None,
                ip=client.ip[:64],
                user_agent=client.user_agent[:AGENT_WIDTH],
                outcome=result.outcome.value,
            )
        )
        await uow.commit()
    return result


TOUCH_EVERY = timedelta(minutes=1)


async def current_session(*, uow: UnitOfWork, secret: str, policy: SessionPolicy, now: datetime) -> Current | None:
    """The open session the cookie names, or None (unknown, ended, expired, idle too long, account disabled)."""
    if not secret or len(secret) > 100:
        return None
    hashed = session_hash(secret)
    async with uow:
        row = await uow.sessions.get(hashed)
        if row is None or row.ended_at is not None or row.expires_at <= now or row.last_seen_at + policy.idle <= now:
            return None
        account = await uow.accounts.get(row.account_id)
        if account is None or account.disabled:
            return None
        if now - row.last_seen_at >= TOUCH_EVERY:
            row.last_seen_at = now
            await uow.commit()
        return Current(account.id, person_of(account), row.csrf_token, account.must_change_password, hashed)


async def sign_out(*, uow: UnitOfWork, secret: str, now: datetime) -> None:
    async with uow:
        row = await uow.sessions.get(session_hash(secret))
        if row is not None and row.ended_at is None:
            row.ended_at = now
            await uow.commit()


def csrf_matches(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())


async def change_password(
    *,
    uow: UnitOfWork,
    passwords: Passwords,
    current: Current,
    old: str,
    new: str,
    again: str,
    now: datetime,
) -> list[FieldProblem]:
    """Change the signed-in person's password: every problem at once; other sessions end on success."""
    async with uow:
        account = await uow.accounts.get(current.account_id)
        if account is None:
            return [FieldProblem("old_password", "Mật khẩu hiện tại không đúng.", "The current password is wrong.")]
        problems = []
        if not await passwords.verify(account.password_hash, old):
            problems.append(
                FieldProblem("old_password", "Mật khẩu hiện tại không đúng.", "The current password is wrong.")
            )
        problems += password_problems(new, account.username, field="new_password")
        if new != again:
            problems.append(
                FieldProblem(
                    "new_password_again", "Hai mật khẩu mới không giống nhau.", "The two new passwords differ."
                )
            )
        elif new == old:
            problems.append(
                FieldProblem("new_password", "Mật khẩu mới phải khác mật khẩu cũ.", "The new password must differ.")
            )
        if problems:
            return problems
        account.password_hash = await passwords.hash(new)
        account.must_change_password = False
        account.password_changed_at = now
        await uow.sessions.end_all(account.id, now, keep=current.session_hash)
        uow.events.add(
            AccountEventRow(at=now, account_id=account.id, actor=account.username, action="password_changed")
        )
        await uow.commit()
    return []
