"""Code lists, the ethnic groups of both official lists, and the registered agencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from dantoc_catalog.api.deps import QueriesDep, not_found
from dantoc_catalog.api.examples import AGENCY, CODE_LIST, ETHNIC_GROUP, examples
from dantoc_catalog.domain.reference import ETHNIC_EXTRA_LIST, Agency, CodeListItem, EthnicGroupRow
from dantoc_contracts.codes import TWO_DIGIT_CODE_PATTERN, EthnicCodeList

router = APIRouter(tags=["code lists"])


class CodeItemOut(BaseModel):
    code: str
    name_vi: str
    name_en: str
    sort_order: int

    @classmethod
    def of(cls, item: CodeListItem) -> CodeItemOut:
        return cls(code=item.code, name_vi=item.name_vi, name_en=item.name_en, sort_order=item.sort_order)


class CodeListOut(BaseModel):
    model_config = ConfigDict(json_schema_extra=examples(CODE_LIST))
    list_id: str = Field(description="sex, age_group, residence, ethnic_extra, agency, period_type, unit_level.")
    items: list[CodeItemOut]


class EthnicGroupOut(BaseModel):
    model_config = ConfigDict(json_schema_extra=examples(ETHNIC_GROUP))
    code_gso_1979: str = Field(description="Code in Decision 121-TCTK/PPCĐ (1979), the canonical list.")
    code_gso_2008: str = Field(description="Code in Decision 1019/QĐ-TCTK (2008).")
    name_vi: str
    name_en: str
    name_vi_gso_2008: str
    aliases: list[str] = Field(description="Other names and spellings.")

    @classmethod
    def of(cls, g: EthnicGroupRow) -> EthnicGroupOut:
        return cls(
            code_gso_1979=g.code,
            code_gso_2008=g.code_gso_2008,
            name_vi=g.name_vi,
            name_en=g.name_en,
            name_vi_gso_2008=g.name_vi_gso_2008,
            aliases=g.aliases(),
        )


class EthnicGroupsOut(BaseModel):
    groups: list[EthnicGroupOut]
    extra_codes: list[CodeItemOut] = Field(description="Valid in both lists: 00 and 99 unknown, 55 foreigner.")


class AgencyOut(BaseModel):
    model_config = ConfigDict(json_schema_extra=examples(AGENCY))
    code: str
    name_vi: str
    name_en: str
    agency_type: str = Field(description="Code of the `agency` code list.")
    scope_unit_code: str = Field(description="Unit whose subtree the agency reports for; VN = all.")
    writes_for: list[str] = Field(
        default_factory=list, description="Other agency types (`agency` code list) whose indicators it may write."
    )

    @classmethod
    def of(cls, a: Agency) -> AgencyOut:
        return cls(
            code=a.code,
            name_vi=a.name_vi,
            name_en=a.name_en,
            agency_type=a.agency_type,
            scope_unit_code=a.scope_unit_code,
            writes_for=list(a.writes_for),
        )


ListParam = Annotated[EthnicCodeList, Query(alias="list", description="Code list of `code` and of the ordering.")]


@router.get("/code-lists")
async def list_code_lists(queries: QueriesDep) -> list[CodeListOut]:
    """List every simple code list with its items."""
    lists = await queries.code_lists()
    return [CodeListOut(list_id=i, items=[CodeItemOut.of(x) for x in items]) for i, items in sorted(lists.items())]


@router.get("/code-lists/{list_id}")
async def get_code_list(queries: QueriesDep, list_id: Annotated[str, Path(examples=["sex"])]) -> CodeListOut:
    """Get one code list (sex, age_group, residence, ethnic_extra, agency, period_type, unit_level)."""
    items = (await queries.code_lists()).get(list_id)
    if not items:
        raise not_found("list_id", list_id)
    return CodeListOut(list_id=list_id, items=[CodeItemOut.of(x) for x in items])


@router.get("/ethnic-groups")
async def list_ethnic_groups(
    queries: QueriesDep,
    code_list: ListParam = EthnicCodeList.GSO_1979,
    q: Annotated[
        str | None, Query(description="Name or other spelling, diacritics optional.", examples=["hmong"])
    ] = None,
) -> EthnicGroupsOut:
    """The 54 ethnic groups with both official codes (crosswalk), aliases, and the extra codes."""
    groups = await queries.ethnic_groups(q=q, code_list=code_list)
    extra = (await queries.code_lists()).get(ETHNIC_EXTRA_LIST, [])
    return EthnicGroupsOut(
        groups=[EthnicGroupOut.of(g) for g in groups], extra_codes=[CodeItemOut.of(x) for x in extra]
    )


@router.get("/ethnic-groups/{code}")
async def get_ethnic_group(
    queries: QueriesDep,
    code: Annotated[str, Path(pattern=TWO_DIGIT_CODE_PATTERN, examples=["04"])],
    code_list: ListParam = EthnicCodeList.GSO_1979,
) -> EthnicGroupOut:
    """Look up a group by its code in either list (`?list=GSO2008`): the crosswalk."""
    group = await queries.ethnic_group(code, code_list)
    if group is None:
        raise not_found("code", f"{code_list.value}:{code}")
    return EthnicGroupOut.of(group)


@router.get("/agencies")
async def list_agencies(queries: QueriesDep) -> list[AgencyOut]:
    """List the registered reporting agencies with their scope."""
    return [AgencyOut.of(a) for a in await queries.agencies()]


@router.get("/agencies/{code}")
async def get_agency(queries: QueriesDep, code: Annotated[str, Path(examples=["BDT-08"])]) -> AgencyOut:
    """Get one registered agency."""
    agency = next((a for a in await queries.agencies() if a.code == code), None)
    if agency is None:
        raise not_found("code", code)
    return AgencyOut.of(agency)
