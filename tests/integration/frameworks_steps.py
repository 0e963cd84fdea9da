"""Shared steps of the framework tests: a procedure group, the framework form as a browser
sends it, reading a version back."""

import re

from sqlalchemy import select

from caselog.models import Framework, ProcedureGroup
from tests.html import form_values


def decompression_group(world, db_session) -> ProcedureGroup:
    """A spine group holding the microdiscectomy."""
    group = ProcedureGroup(
        specialty_id=world.spine.id, code="decompression", name="Spinal decompression"
    )
    db_session.add(group)
    world.microdiscectomy.groups.append(group)
    db_session.flush()
    return group


def target(
    index: int,
    label: str,
    min_count,
    procedures=(),
    groups=(),
    levels=("S-TS", "S-TU", "P"),
    entrust_count="",
    entrust_autonomy="",
    program_year="",
) -> dict:
    """One target's fields, named as the form names them."""
    prefix = f"targets-{index}-"
    return {
        prefix + "label": label,
        prefix + "min_count": str(min_count),
        prefix + "involvements": list(levels),
        prefix + "procedure_ids": [str(p.id) for p in procedures],
        prefix + "group_ids": [str(g.id) for g in groups],
        prefix + "entrust_count": str(entrust_count),
        prefix + "entrust_autonomy": entrust_autonomy,
        prefix + "program_year": str(program_year),
    }


def page_values(html: str) -> dict[str, list[str]]:
    """The values a browser would send from the framework form on this page."""
    values = form_values(html)
    values.pop("csrf_token", None)
    return values


def framework_named(db_session, name: str) -> Framework | None:
    return db_session.scalar(select(Framework).where(Framework.name == name))


def target_labels(html: str) -> list[str]:
    """The labels typed in the form's targets, in order."""
    return re.findall(r'name="targets-\d+-label" type="text" value="([^"]*)"', html)
