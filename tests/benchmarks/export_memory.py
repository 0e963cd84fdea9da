"""Benchmark: peak memory of a case export at 5,000 and at 50,000 cases (prints figures).

    .venv/bin/python -m tests.benchmarks.export_memory                  # a scratch SQLite file
    .venv/bin/python -m tests.benchmarks.export_memory --db postgresql  # a throwaway server
    .venv/bin/python -m tests.benchmarks.export_memory --url DATABASE_URL --sizes 5000 50000

About a minute on SQLite, longer on PostgreSQL. Each step runs in a fresh Python process,
so each figure is one export's own peak: `seed` bulk-inserts cases with SQL core (in
chunks, so seeding is flat too), `export` signs in as an admin and downloads every case as
CSV or XLSX through the app's own streaming code into a null sink, then reports
resource.getrusage(RUSAGE_SELF).ru_maxrss. It prints, per format and size, the bytes, the
seconds and the peak, then two ratios of the largest size to the smallest: the process's
peak (a flat export stays near 1.0; it was within 1.2 when this was written) and what the
export added above the app's own footprint. It asserts nothing: the suite's fast check
that exports stream is tests/integration/test_exports_streaming.py.
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

PASSWORD = "benchmark password"  # noqa: S105 - a scratch database's only account
ADMIN_EMAIL = "admin@bench.test"
CHUNK = 2_000  # rows per executemany
TRAINEES = 40
PROCEDURES = 25


def make_app(url: str):
    """An app on the scratch database, migrated, with CSRF off (the script signs in by POST)."""
    from flask_migrate import upgrade

    from caselog import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "benchmark",
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": url,
            "PASSWORD_HASH_PROFILE": "CHEAPEST",
        }
    )
    with app.app_context():
        upgrade()
    return app


def seed(url: str, total: int) -> dict:
    """Bring the database to `total` cases (creating the people and catalogue once)."""
    from sqlalchemy import func, insert, select

    from caselog.extensions import db
    from caselog.models import Case

    app = make_app(url)
    started = time.perf_counter()
    with app.app_context():
        if db.session.scalar(select(func.count(Case.id))) == 0:
            _seed_world()
        world = _world_ids()
        have = db.session.scalar(select(func.count(Case.id)))
        for start in range(have, total, CHUNK):
            stop = min(start + CHUNK, total)
            db.session.execute(insert(Case), [_case(i, world) for i in range(start, stop)])
            _signatures_and_extras(start, stop, world)
            db.session.commit()
        have = db.session.scalar(select(func.count(Case.id)))
        db.engine.dispose()
    return {"cases": have, "seconds": round(time.perf_counter() - started, 1)}


def _seed_world() -> None:
    from argon2 import PasswordHasher, profiles

    from caselog.extensions import db
    from caselog.models import (
        Enrolment,
        MentorAppointment,
        Procedure,
        ProcedureCode,
        Program,
        ProgramKind,
        Site,
        Specialty,
        User,
    )

    hashed = PasswordHasher.from_parameters(profiles.CHEAPEST).hash(PASSWORD)
    spine = Specialty(code="spine", name="Spine surgery")
    sites = [
        Site(name="Seoul Spine Hospital", city="Seoul", country="KR", time_zone="Asia/Seoul"),
        Site(
            name="Ulaanbaatar Central",
            city="Ulaanbaatar",
            country="MN",
            time_zone="Asia/Ulaanbaatar",
        ),
    ]
    mentor = User(email="mentor@bench.test", full_name="Dr Пак Мин-чжун", password_hash=hashed)
    program = Program(
        name="Spine fellowship",
        kind=ProgramKind.FELLOWSHIP,
        specialty=spine,
        start_date=date(2020, 1, 1),
        end_date=date(2030, 12, 31),
        sites=sites,
    )
    db.session.add_all(
        [
            User(email=ADMIN_EMAIL, full_name="Admin", password_hash=hashed, is_admin=True),
            MentorAppointment(mentor=mentor, program=program),
        ]
    )
    for n in range(PROCEDURES):
        procedure = Procedure(specialty=spine, code=f"p{n}", name=f"Procedure {n} 척추 수술")
        procedure.codes = [
            ProcedureCode(system="CPT", code=f"{63000 + n}", source="bench"),
            ProcedureCode(system="OPCS-4", code=f"V{n:02d}.1", source="bench"),
        ]
        db.session.add(procedure)
    for n in range(TRAINEES):
        trainee = User(
            email=f"trainee{n}@bench.test", full_name=f"Батбаяр Дорж {n}", password_hash=hashed
        )
        db.session.add(
            Enrolment(
                trainee=trainee,
                program=program,
                start_date=date(2020, 1, 1),
                end_date=date(2030, 12, 31),
            )
        )
    db.session.commit()


def _world_ids() -> dict:
    from sqlalchemy import select

    from caselog.extensions import db
    from caselog.models import Enrolment, Procedure, Program, Site, User

    return {
        "program": db.session.scalar(select(Program.id)),
        "sites": list(db.session.scalars(select(Site.id).order_by(Site.id))),
        "mentor": db.session.scalar(select(User.id).where(User.email == "mentor@bench.test")),
        "trainees": list(db.session.scalars(select(Enrolment.trainee_id).order_by(Enrolment.id))),
        "procedures": list(db.session.scalars(select(Procedure.id).order_by(Procedure.id))),
    }


def _case(i: int, world: dict) -> dict:
    from caselog.models import (
        Approach,
        CaseStatus,
        Complication,
        Involvement,
        Setting,
        Sex,
        Urgency,
    )

    approved = i % 4 != 0
    return {
        "id": i + 1,
        "reference": f"{i // 10_000:04d}-{i % 10_000:04d}",
        "trainee_id": world["trainees"][i % len(world["trainees"])],
        "program_id": world["program"],
        "site_id": world["sites"][i % 2],
        "supervisor_id": world["mentor"],
        "status": CaseStatus.APPROVED if approved else CaseStatus.SUBMITTED,
        "version": 1,
        "operation_date": date(2021, 1, 1) + timedelta(days=i % 1500),
        "primary_procedure_id": world["procedures"][i % PROCEDURES],
        "approach": Approach.OPEN,
        "urgency": Urgency.ELECTIVE,
        "setting": Setting.THEATRE,
        "involvement": list(Involvement)[i % 6],
        "patient_age": 20 + i % 80,
        "patient_sex": Sex.FEMALE if i % 2 else Sex.MALE,
        "asa_grade": 1 + i % 4,
        "complication": Complication.NONE,
        "complication_description": "",
        "operative_minutes": 60 + i % 200,
        "blood_loss_ml": 50 + i % 500,
        "return_to_theatre": False,
        "notes": f"Case {i}: =SUM(A1:A9) uneventful, дискэктомия, 미세현미경 감압술." * (1 + i % 3),
        "created_at": datetime(2024, 1, 1, tzinfo=UTC),
        "updated_at": datetime(2024, 1, 1, tzinfo=UTC),
        "submitted_at": datetime(2024, 1, 2, tzinfo=UTC) + timedelta(minutes=i),
        "return_comment": "",
    }


def _signatures_and_extras(start: int, stop: int, world: dict) -> None:
    """Every approved case a signature (its HMAC left unsealed); every third an extra
    procedure."""
    from sqlalchemy import insert

    from caselog.extensions import db
    from caselog.models import Signature
    from caselog.models.cases import case_additional_procedures

    signed = [
        {
            "case_id": i + 1,
            "version": 1,
            "signer_id": world["mentor"],
            "signer_name": "Dr Пак Мин-чжун",
            "signed_at": datetime(2024, 2, 1, tzinfo=UTC),
            "meaning": "I supervised this operation and confirm the trainee's role as recorded.",
            "bedside": i % 5 == 0,
            "feedback": "",
            "content": "{}",
            "hmac": "0" * 64,
        }
        for i in range(start, stop)
        if i % 4 != 0
    ]
    if signed:
        db.session.execute(insert(Signature), signed)
    extras = [
        {"case_id": i + 1, "procedure_id": world["procedures"][(i + 7) % PROCEDURES]}
        for i in range(start, stop)
        if i % 3 == 0
    ]
    if extras:
        db.session.execute(insert(case_additional_procedures), extras)


def export(url: str, fmt: str) -> dict:
    """Download every case as `fmt` into a null sink; the process's peak memory in KiB."""
    app = make_app(url)
    client = app.test_client()
    response = client.post("/login", data={"email": ADMIN_EMAIL, "password": PASSWORD})
    assert response.status_code == 302, "sign-in failed"
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    response = client.get(f"/exports/cases.{fmt}", buffered=False)
    assert response.status_code == 200, response.status_code
    size = 0
    for chunk in response.response:
        size += len(chunk)
    response.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "format": fmt,
        "bytes": size,
        "seconds": round(time.perf_counter() - started, 1),
        "rss_before_kib": before,
        "peak_kib": peak,
    }


def in_subprocess(*args: str) -> dict:
    """Run one step in a fresh Python process and read back its figures."""
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.benchmarks.export_memory", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{args[0]} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(url: str, sizes: list[int], formats=("csv", "xlsx")) -> dict:
    """Seed up to each size in turn and export it in each format: {fmt: {size: figures}}."""
    figures: dict = {fmt: {} for fmt in formats}
    for size in sorted(sizes):
        in_subprocess("seed", url, str(size))
        for fmt in formats:
            figures[fmt][size] = in_subprocess("export", url, fmt)
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", nargs="?", choices=["seed", "export"])
    parser.add_argument("target", nargs="?", help="database URL (steps only)")
    parser.add_argument("value", nargs="?", help="cases to seed, or the format to export")
    parser.add_argument("--url", help="database URL (default: a scratch one of --db)")
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgresql"],
        default="sqlite",
        help="without --url: a scratch SQLite file, or a throwaway PostgreSQL 15 server",
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 50_000])
    args = parser.parse_args(argv)
    if args.step == "seed":
        print(json.dumps(seed(args.target, int(args.value))))
        return
    if args.step == "export":
        print(json.dumps(export(args.target, args.value)))
        return
    if args.url:
        figures = measure(args.url, args.sizes)
    else:
        from tests.databases import database_urls

        with database_urls(args.db) as new_database:
            figures = measure(new_database("caselog_export_memory"), args.sizes)
    report(figures, min(args.sizes), max(args.sizes))


def report(figures: dict, small: int, large: int) -> None:
    """Print each export's figures, then the ratios of the largest size to the smallest."""
    for fmt, by_size in figures.items():
        for size, f in sorted(by_size.items()):
            print(
                f"{fmt:4} {size:>7} cases: {f['bytes'] / 1e6:7.1f} MB in {f['seconds']:5.1f} s, "
                f"peak {f['peak_kib'] / 1024:6.1f} MiB (before the export "
                f"{f['rss_before_kib'] / 1024:6.1f} MiB)"
            )
        at_small, at_large = by_size[small], by_size[large]
        peak = at_large["peak_kib"] / at_small["peak_kib"]
        added_small = max(at_small["peak_kib"] - at_small["rss_before_kib"], 1)
        added_large = at_large["peak_kib"] - at_large["rss_before_kib"]
        print(f"{fmt:4} peak at {large} / peak at {small}: {peak:.3f}")
        print(
            f"{fmt:4} added by the export at {large} / at {small}: "
            f"{added_large / added_small:.3f} ({added_small / 1024:.1f} -> "
            f"{added_large / 1024:.1f} MiB)"
        )


if __name__ == "__main__":
    main()
