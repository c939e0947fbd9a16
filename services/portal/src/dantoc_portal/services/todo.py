"""Việc cần làm: per unit and period the person reports, what is entered, missing and rejected; for a reviewer,
the units below that have not reported. (Filled in by the home-page work; the skeleton lists the person's scope.)"""

from __future__ import annotations

from dataclasses import dataclass, field

from dantoc_portal.clients.services import Services
from dantoc_portal.domain.roles import Person


@dataclass(frozen=True, slots=True)
class Todo:
    person: Person
    items: list[object] = field(default_factory=list)


async def todo_of(services: Services, person: Person, token: str) -> Todo:
    return Todo(person)
