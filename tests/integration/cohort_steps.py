"""Shared steps of the cohort view's tests: a framework, a small cohort, reading the matrix."""

import re
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from types import SimpleNamespace

from sqlalchemy import update

from caselog.models import CaseStatus, Enrolment, Involvement
from caselog.signoff.services import Seen, sign
from caselog.signoff.signatures import fingerprint
from tests.clock import NOW, TODAY
from tests.factories import framework_version
from tests.integration.case_steps import amend


def spine_framework(make, world, db_session, number: int = 2):
    """Four targets, assigned to the world's program: "Spine fellowship framework v2"."""
    version = framework_version(
        make,
        world.spine,
        [
            dict(label="Lumbar decompression", min_count=4, procedures=[world.microdiscectomy]),
            dict(
                label="Transforaminal lumbar interbody fusion (TLIF)",
                min_count=1,
                procedures=[world.fusion],
            ),
            dict(
                label="Anterior cervical discectomy and fusion (ACDF)",
                min_count=10,
                procedures=[world.acdf],
            ),
            dict(
                label="Fusions in year two", min_count=5, procedures=[world.fusion], program_year=2
            ),
        ],
        name="Spine fellowship framework",
        number=number,
    )
    world.program.framework_version = version
    db_session.flush()
    return version


def set_cohort(db_session, trainee, program, cohort: str) -> None:
    db_session.execute(
        update(Enrolment)
        .where(Enrolment.trainee_id == trainee.id, Enrolment.program_id == program.id)
        .values(cohort=cohort)
    )


def logged(
    make, world, trainee, procedure, status=CaseStatus.SUBMITTED, days_ago: int = 10, **fields
):
    """A case of the trainee, at Seoul and naming world.mentor unless told."""
    return make.case(
        trainee,
        world.program,
        procedure,
        fields.pop("supervisor", world.mentor),
        site=fields.pop("site", None) or world.seoul,
        status=status,
        operation_date=TODAY - timedelta(days=days_ago),
        **fields,
    )


def sign_all(mentor, cases) -> None:
    """The mentor signs the cases in one batch, as the queue would."""
    outcome = sign(mentor, [Seen(case.id, fingerprint(case)) for case in cases], now=NOW)
    assert not outcome.skipped, outcome.skipped


def small_cohort(make, world, db_session):
    """Two trainees in two cohorts at two sites, with every kind of case that matters.

    Bat-Erdene (cohort 2024, Seoul): a two-procedure case counting toward decompression and
    TLIF; a decompression amended to an ACDF after signing (still one decompression); one
    decompression pending; a returned TLIF and an observed decompression that do not count.
    Oyunaa (cohort 2025, Busan): four signed decompressions.
    """
    version = spine_framework(make, world, db_session)
    a, b = world.trainee, world.other_trainee
    set_cohort(db_session, a, world.program, "2024")
    set_cohort(db_session, b, world.program, "2025")
    both = logged(
        make, world, a, world.microdiscectomy, days_ago=40, additional_procedures=[world.fusion]
    )
    amended = logged(make, world, a, world.microdiscectomy, days_ago=30)
    observed = logged(
        make, world, a, world.microdiscectomy, days_ago=25, involvement=Involvement.OBSERVED
    )
    sign_all(world.mentor, [both, amended, observed])
    amend(amended, a, "It was a cervical case", submit=True, primary_procedure_id=world.acdf.id)
    pending = logged(make, world, a, world.microdiscectomy, days_ago=5)
    returned = logged(make, world, a, world.fusion, status=CaseStatus.RETURNED, days_ago=8)
    oyunaa = [
        logged(
            make,
            world,
            b,
            world.microdiscectomy,
            days_ago=50 - 10 * n,
            site=world.busan,
            supervisor=world.other_mentor,
        )
        for n in range(4)
    ]
    sign_all(world.other_mentor, oyunaa)
    db_session.flush()
    return SimpleNamespace(
        version=version,
        targets=version.targets,
        both=both,
        amended=amended,
        observed=observed,
        pending=pending,
        returned=returned,
        oyunaa=oyunaa,
    )


@dataclass
class MatrixCell:
    status: str
    text: str  # what it shows besides the status's icon, e.g. "2/4+1"
    icon: str
    href: str
    name: str  # the accessible name


@dataclass
class MatrixRow:
    trainee: str
    cohort: str
    cells: list[MatrixCell] = field(default_factory=list)


class _MatrixReader(HTMLParser):
    """The matrix's body rows as a reader sees them: the row's name, each cell's status,
    visible text, link and accessible name."""

    def __init__(self):
        super().__init__()
        self.rows: list[MatrixRow] = []
        self._in_body = False
        self._target: list | None = None  # where text goes

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append(MatrixRow("", ""))
        elif self._in_body and tag == "span" and "trainee-name" in classes:
            self._target = ["name"]
        elif self._in_body and tag == "span" and "trainee-cohort" in classes:
            self._target = ["cohort"]
        elif self._in_body and tag == "td" and "cell" in classes:
            status = next(c[3:] for c in classes if c.startswith("is-"))
            self.rows[-1].cells.append(MatrixCell(status, "", "", "", ""))
        elif self._in_body and tag == "a" and self.rows and self.rows[-1].cells:
            cell = self.rows[-1].cells[-1]
            cell.href, cell.name = a["href"], a["aria-label"]
            self._target = ["cell"]
        elif self._target == ["cell"] and tag == "span" and "status-icon" in classes:
            self._target = ["icon"]

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._in_body = False
        elif tag == "span" and self._target == ["icon"]:
            self._target = ["cell"]
        elif (
            tag in ("a", "span")
            and self._target
            and tag == ("a" if self._target == ["cell"] else "span")
        ):
            self._target = None

    def handle_data(self, data):
        if self._target == ["name"]:
            self.rows[-1].trainee += data.strip()
        elif self._target == ["cohort"]:
            self.rows[-1].cohort += data.strip()
        elif self._target == ["cell"]:
            self.rows[-1].cells[-1].text += data.strip()
        elif self._target == ["icon"]:
            self.rows[-1].cells[-1].icon += data.strip()


def read_matrix(html: str) -> list[MatrixRow]:
    """The matrix's rows, top to bottom."""
    reader = _MatrixReader()
    reader.feed(html)
    return reader.rows


CASE_LINK = re.compile(r'href="/cases/(\d+)"')


def listed_cases(html: str, which: str) -> list[int]:
    """The ids of the cases linked from the cell page's list ("counted" or "pending")."""
    match = re.search(rf'data-list="{which}">(.*?)</ul>', html, re.S)
    return [int(n) for n in CASE_LINK.findall(match.group(1))] if match else []
