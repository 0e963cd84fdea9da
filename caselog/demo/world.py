"""The demo world's fictional sites, people and programs, and how they are built."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from caselog.extensions import db
from caselog.models import (
    Enrolment,
    MentorAppointment,
    Procedure,
    Program,
    ProgramKind,
    Site,
    Specialty,
    User,
)

EMAIL_DOMAIN = "demo.caselog"

# key, name, city, country, IANA time zone
SITES = [
    ("seoul-spine", "Seoul Demo Spine Hospital", "Seoul", "KR", "Asia/Seoul"),
    ("suwon", "Suwon Demo University Hospital", "Suwon", "KR", "Asia/Seoul"),
    ("busan", "Busan Demo Spine Centre", "Busan", "KR", "Asia/Seoul"),
    ("daegu", "Daegu Demo Medical Centre", "Daegu", "KR", "Asia/Seoul"),
    ("incheon", "Incheon Demo Hospital", "Incheon", "KR", "Asia/Seoul"),
    ("ulsan", "Ulsan Demo University Hospital", "Ulsan", "KR", "Asia/Seoul"),
    ("goyang-cancer", "Goyang Demo Cancer Centre", "Goyang", "KR", "Asia/Seoul"),
    ("ub-cancer", "Ulaanbaatar Demo Cancer Centre", "Ulaanbaatar", "MN", "Asia/Ulaanbaatar"),
    ("ub-general", "Ulaanbaatar Demo General Hospital", "Ulaanbaatar", "MN", "Asia/Ulaanbaatar"),
]

# e-mail local part, full name
PEOPLE = [
    ("admin", "Caselog Demo Administrator"),
    # Spine fellowship: director, mentors, Mongolian fellows (Ganbold is the senior fellow).
    ("jung.doyun", "정도윤 (Jung Do-yun)"),
    ("kim.minjun", "김민준 (Kim Min-jun)"),
    ("lee.jiho", "이지호 (Lee Ji-ho)"),
    ("park.jihoon", "박지훈 (Park Ji-hoon)"),
    ("ganbold", "Батбаярын Ганболд"),
    ("sarangerel", "Должингийн Сарангэрэл"),
    ("munkherdene", "Цэрэндоржийн Мөнх-Эрдэнэ"),
    # Visiting program: director, one mentor per further hospital, nine visiting surgeons.
    ("choi.sua", "최수아 (Choi Su-a)"),
    ("kang.haeun", "강하은 (Kang Ha-eun)"),
    ("cho.hyunwoo", "조현우 (Cho Hyun-woo)"),
    ("yoon.jia", "윤지아 (Yoon Ji-a)"),
    ("jang.seojun", "장서준 (Jang Seo-jun)"),
    ("nurlan", "Асанов Нурлан"),
    ("dilnoza", "Dilnoza Karimova"),
    ("nguyen.minh", "Nguyễn Văn Minh"),
    ("sokolov", "Соколов Алексей Игоревич"),
    ("kuznetsova", "Кузнецова Елена Викторовна"),
    ("ankit", "Ankit Sharma"),
    ("khulan", "Бат-Эрдэнийн Хулан"),
    ("azamat", "Тургунбаев Азамат"),
    ("somchai", "Somchai Wongsakul"),
    # HPB exchange: director, Korean mentors, a Mongolian mentor at home, two HPB surgeons.
    ("seo.minjae", "서민재 (Seo Min-jae)"),
    ("lim.yerin", "임예린 (Lim Ye-rin)"),
    ("han.seungwoo", "한승우 (Han Seung-woo)"),
    ("oyunchimeg", "Сүхбаатарын Оюунчимэг"),
    ("enkhjargal", "Мөнхбатын Энхжаргал"),
    ("bilguun", "Алтанхуягийн Билгүүн"),
    # Master class: the visiting professor and two Korean participants.
    ("keller", "Prof. Andreas Keller"),
    ("oh.taeyang", "오태양 (Oh Tae-yang)"),
    ("song.yuna", "송유나 (Song Yu-na)"),
    # General surgery residency at the home hospital in Ulaanbaatar.
    ("oyun", "Нямдоржийн Оюун"),
    ("bayarmaa", "Дамдинсүрэнгийн Баярмаа"),
    ("ariunbold", "Лхагвасүрэнгийн Ариунболд"),
    ("nomin", "Ганбаатарын Номин"),
    ("temuujin", "Эрдэнэбилэгийн Тэмүүжин"),
]

# The language each person reads Caselog in; everyone else (the administrator, the visiting
# professor, the visiting surgeons from elsewhere) reads English.
MONGOLIAN = ["ganbold", "sarangerel", "munkherdene", "khulan", "oyunchimeg", "enkhjargal"]
MONGOLIAN += ["bilguun", "oyun", "bayarmaa", "ariunbold", "nomin", "temuujin"]
RUSSIAN = ["sokolov", "kuznetsova"]  # from Khabarovsk and Irkutsk
RUSSIAN += ["nurlan", "dilnoza", "azamat"]  # from Kazakhstan, Uzbekistan, Kyrgyzstan
KOREAN = ["jung.doyun", "kim.minjun", "lee.jiho", "park.jihoon", "choi.sua", "kang.haeun"]
KOREAN += ["cho.hyunwoo", "yoon.jia", "jang.seojun", "seo.minjae", "lim.yerin", "han.seungwoo"]
KOREAN += ["oh.taeyang", "song.yuna"]
LOCALES = {
    **dict.fromkeys(MONGOLIAN, "mn"),
    **dict.fromkeys(RUSSIAN, "ru"),
    **dict.fromkeys(KOREAN, "ko"),
}

VISITING_SURGEONS = [
    "nurlan",
    "dilnoza",
    "nguyen.minh",
    "sokolov",
    "kuznetsova",
    "ankit",
    "khulan",
    "azamat",
    "somchai",
]
VISITING_SITES = ["seoul-spine", "busan", "daegu", "incheon", "ulsan"]
VISITING_HOMES = {
    "nurlan": "Almaty Demo City Hospital",
    "dilnoza": "Tashkent Demo Clinical Hospital",
    "nguyen.minh": "Hanoi Demo Orthopaedic Hospital",
    "sokolov": "Khabarovsk Demo Regional Hospital",
    "kuznetsova": "Irkutsk Demo Regional Hospital",
    "ankit": "Delhi Demo Spine Institute",
    "khulan": "Ulaanbaatar Demo General Hospital",
    "azamat": "Bishkek Demo Hospital",
    "somchai": "Bangkok Demo Hospital",
}


@dataclass
class ProgramSpec:
    """A program relative to today: name, kind, specialty, days since start, length, sites."""

    key: str
    name: str
    kind: ProgramKind
    specialty: str
    started_days_ago: int
    length_days: int
    sites: list[str]
    directors: list[str]
    assessment: bool = False  # mentors rate autonomy and performance at sign-off


# Each program's name as its director gave it in the other languages.
PROGRAM_NAMES: dict[str, dict[str, str]] = {
    "fellowship": {
        "ru": "Спинальная хирургия: фелловшип Сеул–Сувон (демо)",
        "mn": "Нурууны мэс заслын фелловшип Сөүл–Сувон (демо)",
        "ko": "척추외과 전임의 과정 서울–수원 (데모)",
    },
    "visiting": {
        "ru": "Стажировка по хирургии позвоночника в Корее (демо)",
        "mn": "Солонгост нурууны мэс заслын зочин эмчийн хөтөлбөр (демо)",
        "ko": "척추외과 방문 연수 프로그램 (데모)",
    },
    "hpb": {
        "ru": "Обмен по гепатопанкреатобилиарной хирургии Коян–Улан-Батор (демо)",
        "mn": "Элэг, цөс, нойр булчирхайн мэс заслын солилцоо Гоян–Улаанбаатар (демо)",
        "ko": "간담췌외과 교류 프로그램 고양–울란바토르 (데모)",
    },
    "masterclass": {
        "ru": "Мастер-класс по эндоскопической хирургии позвоночника (демо)",
        "mn": "Нурууны дурангийн мэс заслын мастер анги (демо)",
        "ko": "척추 내시경 수술 마스터 클래스 (데모)",
    },
    "residency": {
        "ru": "Ординатура по общей хирургии, Улан-Батор (демо)",
        "mn": "Ерөнхий мэс заслын резидентур, Улаанбаатар (демо)",
        "ko": "일반외과 전공의 과정 울란바토르 (데모)",
    },
}


def program_specs(today: date) -> list[ProgramSpec]:
    """The five demo programs, dated so the demo always looks current."""
    # The visiting program starts on a Monday three to four weeks ago and lasts four weeks.
    visiting_start = today - timedelta(days=22)
    visiting_start -= timedelta(days=visiting_start.weekday())
    return [
        ProgramSpec(
            "fellowship",
            "Spine fellowship Seoul–Suwon (demo)",
            ProgramKind.FELLOWSHIP,
            "spine",
            212,
            365,
            ["seoul-spine", "suwon"],
            ["jung.doyun"],
            assessment=True,
        ),
        ProgramSpec(
            "visiting",
            "Korea spine visiting surgeons program (demo)",
            ProgramKind.VISITING,
            "spine",
            (today - visiting_start).days,
            28,
            VISITING_SITES,
            ["choi.sua"],
        ),
        ProgramSpec(
            "hpb",
            "HPB exchange Goyang–Ulaanbaatar (demo)",
            ProgramKind.FELLOWSHIP,
            "hpb",
            236,
            365,
            ["goyang-cancer", "ub-cancer"],
            ["seo.minjae"],
            assessment=True,
        ),
        ProgramSpec(
            "masterclass",
            "Endoscopic spine master class (demo)",
            ProgramKind.MASTER_CLASS,
            "spine",
            61,
            2,
            ["seoul-spine"],
            ["jung.doyun"],
        ),
        # Four months into the residents' second year, when they began logging (the
        # residency's targets count per program year).
        ProgramSpec(
            "residency",
            "General surgery residency Ulaanbaatar (demo)",
            ProgramKind.RESIDENCY,
            "general",
            365 + 121,
            4 * 365,
            ["ub-general"],
            ["oyun"],
        ),
    ]


# mentor, program, site (None: any of the program's sites)
APPOINTMENTS = [
    ("kim.minjun", "fellowship", "seoul-spine"),
    ("lee.jiho", "fellowship", "seoul-spine"),
    ("park.jihoon", "fellowship", "suwon"),
    ("kim.minjun", "visiting", "seoul-spine"),
    ("ganbold", "visiting", "seoul-spine"),  # the senior fellow mentors visiting surgeons
    ("kang.haeun", "visiting", "busan"),
    ("cho.hyunwoo", "visiting", "daegu"),
    ("yoon.jia", "visiting", "incheon"),
    ("jang.seojun", "visiting", "ulsan"),
    ("lim.yerin", "hpb", "goyang-cancer"),
    ("han.seungwoo", "hpb", None),  # proctors at both centres
    ("oyunchimeg", "hpb", "ub-cancer"),
    ("keller", "masterclass", "seoul-spine"),
    ("bayarmaa", "residency", "ub-general"),
    ("ariunbold", "residency", "ub-general"),
]

# delegate, for mentor, program, days after the program's start the director appointed them.
# When the HPB surgeons went home, the Korean proctor could not always be there to sign:
# the mentor at the home centre signs for him.
DELEGATES = [("oyunchimeg", "han.seungwoo", "hpb", 183)]

# trainee, program, home institution, cohort
ENROLMENTS = [
    ("ganbold", "fellowship", "Ulaanbaatar Demo General Hospital", "Fellows"),
    ("sarangerel", "fellowship", "Ulaanbaatar Demo General Hospital", "Fellows"),
    ("munkherdene", "fellowship", "Ulaanbaatar Demo General Hospital", "Fellows"),
    *[(key, "visiting", VISITING_HOMES[key], "Visiting surgeons") for key in VISITING_SURGEONS],
    ("enkhjargal", "hpb", "Ulaanbaatar Demo Cancer Centre", "HPB exchange"),
    ("bilguun", "hpb", "Ulaanbaatar Demo Cancer Centre", "HPB exchange"),
    ("ganbold", "masterclass", "Ulaanbaatar Demo General Hospital", "Participants"),
    ("sarangerel", "masterclass", "Ulaanbaatar Demo General Hospital", "Participants"),
    ("munkherdene", "masterclass", "Ulaanbaatar Demo General Hospital", "Participants"),
    ("oh.taeyang", "masterclass", "Incheon Demo Hospital", "Participants"),
    ("song.yuna", "masterclass", "Daegu Demo Medical Centre", "Participants"),
    ("nomin", "residency", "Ulaanbaatar Demo General Hospital", "Second year"),
    ("temuujin", "residency", "Ulaanbaatar Demo General Hospital", "Second year"),
]


@dataclass
class Delegation:
    """A delegate the director will appoint (through the app's service) at `since`."""

    delegate: str
    mentor: str
    program: str
    since: datetime


@dataclass
class World:
    """Everything the case schedules need, looked up by the keys above."""

    today: date
    sites: dict[str, Site] = field(default_factory=dict)
    people: dict[str, User] = field(default_factory=dict)
    programs: dict[str, Program] = field(default_factory=dict)
    enrolments: dict[tuple[str, str], Enrolment] = field(default_factory=dict)
    procedures: dict[tuple[str, str], Procedure] = field(default_factory=dict)
    delegations: list["Delegation"] = field(default_factory=list)

    def mentors(self, program: str, site: str) -> list[str]:
        """Keys of the mentors appointed in the program at that site (or at every site)."""
        return [m for m, p, s in APPOINTMENTS if p == program and s in (site, None)]


def build_world(today: date, password_hash: str) -> World:
    """Create the sites, accounts, programs, appointments and enrolments; flush once.
    Delegates come later, in the story of the cases (caselog.demo.lifecycle)."""
    world = World(today=today)
    specs = program_specs(today)
    # Every account was opened two weeks before the oldest program started.
    opened = datetime.combine(
        today - timedelta(days=max(spec.started_days_ago for spec in specs) + 14), time(1), UTC
    )
    for key, name, city, country, zone in SITES:
        world.sites[key] = Site(name=name, city=city, country=country, time_zone=zone)
    for key, full_name in PEOPLE:
        world.people[key] = User(
            email=f"{key}@{EMAIL_DOMAIN}",
            full_name=full_name,
            password_hash=password_hash,
            is_admin=key == "admin",
            created_at=opened,
            locale=LOCALES.get(key, "en"),
        )
    specialties = {s.code: s for s in db.session.scalars(select(Specialty))}
    for spec in specs:
        start = today - timedelta(days=spec.started_days_ago)
        world.programs[spec.key] = Program(
            name=spec.name,
            name_translations=PROGRAM_NAMES.get(spec.key, {}),
            kind=spec.kind,
            specialty=specialties[spec.specialty],
            start_date=start,
            end_date=start + timedelta(days=spec.length_days - 1),
            assessment_enabled=spec.assessment,
            sites=[world.sites[s] for s in spec.sites],
            directors=[world.people[d] for d in spec.directors],
        )
    appointments = [
        MentorAppointment(
            mentor=world.people[m], program=world.programs[p], site=world.sites[s] if s else None
        )
        for m, p, s in APPOINTMENTS
    ]
    for delegate, mentor, program_key, after_days in DELEGATES:
        start = world.programs[program_key].start_date
        since = datetime.combine(start + timedelta(days=after_days), time(1, 30), UTC)
        world.delegations.append(Delegation(delegate, mentor, program_key, since))
    for trainee, program_key, home, cohort in ENROLMENTS:
        program = world.programs[program_key]
        world.enrolments[trainee, program_key] = Enrolment(
            trainee=world.people[trainee],
            program=program,
            start_date=program.start_date,
            end_date=program.end_date,
            home_institution=home,
            cohort=cohort,
        )
    db.session.add_all(
        [
            *world.sites.values(),
            *world.people.values(),
            *world.programs.values(),
            *appointments,
            *world.enrolments.values(),
        ]
    )
    db.session.flush()
    return world
