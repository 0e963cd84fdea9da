"""How each demo procedure usually looks: approach, duration, blood loss, patients, notes."""

import re
from dataclasses import dataclass, field
from random import Random

from caselog.models import Approach, Complication, Involvement, Sex, Urgency

OBS, ASST, STS, STU, PERF = (
    Involvement.OBSERVED,
    Involvement.ASSISTED,
    Involvement.SUPERVISED_SCRUBBED,
    Involvement.SUPERVISED_UNSCRUBBED,
    Involvement.PERFORMED,
)
LADDER = [OBS, ASST, STS, STU, PERF]

OPEN, MICRO, ENDO, LAP, ROBOT, PERC = (
    Approach.OPEN,
    Approach.MICROSCOPIC,
    Approach.ENDOSCOPIC,
    Approach.LAPAROSCOPIC,
    Approach.ROBOTIC,
    Approach.PERCUTANEOUS,
)
C = Complication


@dataclass
class Profile:
    """The usual shape of one procedure in the demo."""

    approaches: dict[Approach, int]
    minutes: tuple[int, int]
    blood_ml: tuple[int, int]
    ages: tuple[int, int]
    ceiling: Involvement = PERF  # the most a trainee is trusted with in this operation
    urgency: tuple[int, int, int] = (92, 6, 2)  # elective, urgent, emergency
    asa: tuple[int, int, int, int] = (25, 50, 22, 3)
    female: float = 0.5
    complication_rate: float = 0.05
    complications: list[tuple[Complication, str, bool]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    extras: list[tuple[tuple[str, str], float]] = field(default_factory=list)


SPINE_COMPLICATIONS = [
    (C.I, "Incidental durotomy, repaired primarily; bed rest overnight.", False),
    (C.I, "Urinary retention, catheter for a day.", False),
    (C.II, "Superficial wound infection treated with oral antibiotics.", False),
    (C.IIIB, "Epidural haematoma with new weakness, evacuated the same night.", True),
]
FUSION_COMPLICATIONS = [
    *SPINE_COMPLICATIONS,
    (C.IIIB, "Medial breach of a pedicle screw with radicular pain; screw revised.", True),
    (C.II, "Anaemia needing transfusion of two units.", False),
]
CERVICAL_COMPLICATIONS = [
    (C.I, "Dysphagia for a few days, settled with diet changes.", False),
    (C.I, "Transient hoarseness, recovered before discharge.", False),
    (C.I, "Transient deltoid weakness, recovering at review.", False),
]
LIVER_COMPLICATIONS = [
    (C.IIIA, "Bile leak managed with a percutaneous drain.", False),
    (C.II, "Pleural effusion and chest infection treated with antibiotics.", False),
    (C.IVA, "Post-hepatectomy liver failure needing a few days of intensive care.", False),
    (C.I, "Ascites managed with diuretics.", False),
]
PANCREAS_COMPLICATIONS = [
    (C.II, "Postoperative pancreatic fistula, grade B; drain kept and antibiotics.", False),
    (C.I, "Delayed gastric emptying, nasogastric tube for a few days.", False),
    (C.IIIA, "Intra-abdominal collection drained under ultrasound guidance.", False),
    (C.IIIB, "Post-pancreatectomy haemorrhage, relaparotomy.", True),
]
TRANSPLANT_COMPLICATIONS = [
    (C.IIIB, "Hepatic artery thrombosis, revised at relaparotomy.", True),
    (C.II, "Acute cellular rejection treated with steroid pulses.", False),
    (C.IIIA, "Biliary anastomotic stricture, endoscopic stent.", False),
    (C.IVA, "Primary graft dysfunction needing prolonged intensive care.", False),
]
GENERAL_COMPLICATIONS = [
    (C.I, "Port-site wound infection, opened and dressed.", False),
    (C.II, "Urinary tract infection treated with antibiotics.", False),
    (C.IIIA, "Collection drained percutaneously.", False),
    (C.IIIB, "Anastomotic leak, return to theatre for washout and stoma.", True),
]

PROFILES: dict[tuple[str, str], Profile] = {
    ("spine", "microdiscectomy"): Profile(
        {MICRO: 9, OPEN: 1},
        (45, 110),
        (10, 120),
        (19, 68),
        urgency=(85, 10, 5),
        complication_rate=0.04,
        complications=SPINE_COMPLICATIONS,
        notes=[
            "Sequestrated fragment in the axilla of the root; practised safe root retraction.",
            "Worked on a small annulotomy and checking the root was free before closing.",
            "Recurrent herniation with scar; mentor showed how to find the plane laterally.",
            "Cauda equina presentation, operated the same evening.",
        ],
    ),
    ("spine", "endoscopic-discectomy"): Profile(
        {ENDO: 1},
        (50, 120),
        (5, 40),
        (20, 70),
        ceiling=STU,
        complications=SPINE_COMPLICATIONS[:2],
        notes=[
            "Transforaminal approach; the docking angle took several attempts.",
            "Interlaminar approach at the lumbosacral level; good view of the root shoulder.",
            "Learning to keep orientation with the endoscope rotated.",
            "Continuous irrigation pressure discussed with the mentor.",
        ],
    ),
    ("spine", "laminectomy"): Profile(
        {OPEN: 5, MICRO: 4, ENDO: 1},
        (60, 160),
        (50, 350),
        (52, 86),
        asa=(10, 50, 35, 5),
        complications=SPINE_COMPLICATIONS,
        notes=[
            "Two-level stenosis; undercutting the facets to preserve stability.",
            "Unilateral approach with bilateral decompression.",
            "Thick ligamentum flavum adherent to the dura; slow and careful.",
        ],
    ),
    ("spine", "plif"): Profile(
        {OPEN: 1},
        (150, 300),
        (250, 900),
        (45, 78),
        ceiling=STU,
        asa=(10, 55, 32, 3),
        complication_rate=0.08,
        complications=FUSION_COMPLICATIONS,
        notes=[
            "Placed the pedicle screws on one side under fluoroscopy.",
            "Cage sizing and endplate preparation were the key steps.",
            "Grade one spondylolisthesis reduced with the rods.",
        ],
        extras=[(("spine", "laminectomy"), 0.3)],
    ),
    ("spine", "tlif"): Profile(
        {OPEN: 6, MICRO: 3, PERC: 1},
        (140, 290),
        (150, 800),
        (42, 80),
        ceiling=STU,
        asa=(10, 55, 32, 3),
        complication_rate=0.07,
        complications=FUSION_COMPLICATIONS,
        notes=[
            "Minimally invasive approach through a tubular retractor.",
            "Facetectomy and discectomy done by me; mentor placed the cage.",
            "Navigation used for the screws; learning the registration steps.",
        ],
        extras=[(("spine", "laminectomy"), 0.25)],
    ),
    ("spine", "llif"): Profile(
        {OPEN: 1},
        (110, 240),
        (50, 300),
        (50, 79),
        ceiling=STS,
        asa=(10, 55, 32, 3),
        complication_rate=0.08,
        complications=[
            (C.I, "Transient thigh numbness after the psoas approach.", False),
            (C.I, "Hip flexor weakness, improving with physiotherapy.", False),
        ],
        notes=[
            "Lateral position and neuromonitoring set-up reviewed before incision.",
            "Retractor docking over the disc with the plexus mapped.",
        ],
    ),
    ("spine", "alif"): Profile(
        {OPEN: 1},
        (120, 220),
        (100, 500),
        (35, 70),
        ceiling=STS,
        complication_rate=0.06,
        complications=[
            (C.II, "Ileus managed conservatively with a few days of fasting.", False),
            (C.I, "Retrograde ejaculation discussed beforehand; counselling given.", False),
        ],
        notes=[
            "Access surgeon opened; I prepared the disc space.",
            "Large lordotic cage at the lumbosacral junction.",
        ],
    ),
    ("spine", "acdf"): Profile(
        {OPEN: 4, MICRO: 6},
        (80, 180),
        (20, 150),
        (35, 72),
        ceiling=STU,
        complications=CERVICAL_COMPLICATIONS,
        notes=[
            "Single-level myelopathy; removed the posterior osteophyte under the microscope.",
            "Two-level fusion with plate; practised the approach along the carotid sheath.",
            "Soft disc herniation with radiculopathy.",
        ],
    ),
    ("spine", "posterior-cervical-fusion"): Profile(
        {OPEN: 1},
        (140, 280),
        (150, 700),
        (50, 85),
        ceiling=STS,
        asa=(5, 45, 42, 8),
        complication_rate=0.08,
        complications=CERVICAL_COMPLICATIONS + SPINE_COMPLICATIONS[2:3],
        notes=[
            "Lateral mass screws placed by me on one side.",
            "Multilevel myelopathy; laminectomy and fusion.",
        ],
    ),
    ("spine", "cervical-disc-replacement"): Profile(
        {OPEN: 3, MICRO: 7},
        (90, 170),
        (20, 100),
        (30, 58),
        ceiling=STS,
        complications=CERVICAL_COMPLICATIONS[:2],
        notes=[
            "Careful endplate preparation to keep the bone for the implant.",
            "Centring the implant on the lateral view was the key step.",
        ],
    ),
    ("spine", "lumbar-disc-replacement"): Profile(
        {OPEN: 1},
        (120, 200),
        (100, 400),
        (30, 55),
        ceiling=ASST,
        notes=["Rare indication; discussed selection criteria with the mentor."],
    ),
    ("spine", "deformity-correction"): Profile(
        {OPEN: 1},
        (300, 540),
        (800, 3000),
        (14, 76),
        ceiling=ASST,
        asa=(10, 45, 40, 5),
        complication_rate=0.15,
        complications=FUSION_COMPLICATIONS,
        notes=[
            "Adult degenerative scoliosis; osteotomies at two levels.",
            "Adolescent idiopathic scoliosis; derotation with neuromonitoring.",
            "Pedicle subtraction osteotomy for sagittal imbalance; long day.",
        ],
        extras=[(("spine", "laminectomy"), 0.3)],
    ),
    ("spine", "lateral-corpectomy-cage"): Profile(
        {OPEN: 1},
        (200, 360),
        (300, 1500),
        (40, 80),
        ceiling=ASST,
        urgency=(60, 30, 10),
        complication_rate=0.12,
        complications=FUSION_COMPLICATIONS,
        notes=[
            "Metastatic disease with cord compression; expandable cage.",
            "Burst fracture with retropulsion; corpectomy through a lateral approach.",
        ],
    ),
    ("spine", "cervical-laminoplasty"): Profile(
        {OPEN: 1},
        (110, 220),
        (100, 400),
        (50, 82),
        ceiling=STS,
        asa=(5, 45, 42, 8),
        complications=CERVICAL_COMPLICATIONS,
        notes=[
            "Open-door laminoplasty; made the hinge side gutter myself.",
            "Ossified posterior longitudinal ligament; hinge fractured and was plated.",
        ],
    ),
    ("spine", "kyphoplasty"): Profile(
        {PERC: 1},
        (25, 70),
        (5, 30),
        (62, 93),
        urgency=(60, 35, 5),
        asa=(5, 35, 50, 10),
        female=0.75,
        complication_rate=0.03,
        complications=[(C.I, "Small cement leak into the disc, no symptoms.", False)],
        notes=[
            "Osteoporotic fracture; bilateral transpedicular access under fluoroscopy.",
            "Watched cement spread carefully on the lateral view.",
        ],
    ),
    ("hpb", "minor-liver-resection"): Profile(
        {LAP: 6, OPEN: 3, ROBOT: 1},
        (120, 300),
        (50, 600),
        (35, 80),
        ceiling=STU,
        complication_rate=0.08,
        complications=LIVER_COMPLICATIONS,
        notes=[
            "Segmentectomy for colorectal metastasis; intraoperative ultrasound by me.",
            "Laparoscopic left lateral sectionectomy; stapled the pedicle.",
            "Non-anatomical resection of a peripheral lesion.",
        ],
    ),
    ("hpb", "major-liver-resection"): Profile(
        {OPEN: 7, LAP: 3},
        (240, 420),
        (300, 1200),
        (38, 78),
        ceiling=STS,
        asa=(5, 50, 40, 5),
        complication_rate=0.18,
        complications=LIVER_COMPLICATIONS,
        notes=[
            "Right hepatectomy; hilar dissection done by me.",
            "Left hepatectomy for hilar cholangiocarcinoma with bile duct reconstruction.",
            "Parenchymal transection with intermittent Pringle manoeuvre.",
        ],
        extras=[(("general", "cholecystectomy"), 0.4)],
    ),
    ("hpb", "central-liver-resection"): Profile(
        {OPEN: 1},
        (300, 480),
        (400, 1500),
        (40, 76),
        ceiling=STS,
        asa=(5, 50, 40, 5),
        complication_rate=0.22,
        complications=LIVER_COMPLICATIONS,
        notes=[
            "Central bisectionectomy; two transection planes along the hepatic veins.",
            "Mesohepatectomy; learning to protect the right posterior pedicle.",
            "Hepatocellular carcinoma in the central segments; ultrasound-guided planes.",
            "Mentor took the deep part of the transection near the hilum.",
        ],
        extras=[(("general", "cholecystectomy"), 0.6)],
    ),
    ("hpb", "pancreaticoduodenectomy"): Profile(
        {OPEN: 8, LAP: 1, ROBOT: 1},
        (300, 540),
        (250, 1000),
        (45, 80),
        ceiling=STS,
        asa=(5, 50, 40, 5),
        complication_rate=0.25,
        complications=PANCREAS_COMPLICATIONS,
        notes=[
            "Pylorus-preserving resection; did the pancreatojejunostomy with the mentor.",
            "Periampullary carcinoma; uncinate dissection off the superior mesenteric artery.",
            "Soft pancreas with a small duct, high fistula risk.",
        ],
    ),
    ("hpb", "distal-pancreatectomy"): Profile(
        {LAP: 5, ROBOT: 2, OPEN: 3},
        (150, 300),
        (100, 500),
        (40, 78),
        ceiling=STU,
        complication_rate=0.2,
        complications=PANCREAS_COMPLICATIONS[:3],
        notes=[
            "Spleen-preserving resection for a cystic tumour.",
            "Radical antegrade modular approach for adenocarcinoma.",
        ],
    ),
    ("hpb", "liver-transplantation"): Profile(
        {OPEN: 1},
        (420, 720),
        (800, 5000),
        (25, 68),
        ceiling=STS,
        urgency=(55, 40, 5),
        asa=(0, 5, 45, 50),
        complication_rate=0.3,
        complications=TRANSPLANT_COMPLICATIONS,
        notes=[
            "Living donor right lobe graft; did the recipient hepatectomy.",
            "Deceased donor graft with piggyback technique.",
            "Hepatic artery anastomosis under loupes by the mentor; I did the bile duct.",
            "Back-table preparation of the graft with the mentor.",
        ],
    ),
    ("hpb", "living-donor-hepatectomy"): Profile(
        {OPEN: 6, LAP: 4},
        (300, 480),
        (200, 800),
        (20, 55),
        ceiling=ASST,
        asa=(80, 20, 0, 0),
        complication_rate=0.06,
        complications=LIVER_COMPLICATIONS[:2],
        notes=[
            "Right lobe donor; careful mapping of the middle hepatic vein tributaries.",
            "Left lateral donor for a paediatric recipient.",
        ],
        extras=[(("general", "cholecystectomy"), 0.8)],
    ),
    ("hpb", "total-pancreatectomy"): Profile(
        {OPEN: 1},
        (360, 540),
        (400, 1200),
        (45, 78),
        ceiling=ASST,
        asa=(5, 40, 50, 5),
        complication_rate=0.3,
        complications=PANCREAS_COMPLICATIONS[1:],
        notes=["Intraductal papillary mucinous neoplasm involving the whole gland."],
    ),
    ("general", "cholecystectomy"): Profile(
        {LAP: 19, OPEN: 1},
        (35, 110),
        (5, 100),
        (22, 84),
        urgency=(75, 20, 5),
        female=0.6,
        complications=GENERAL_COMPLICATIONS[:2],
        notes=[
            "Critical view of safety obtained before clipping.",
            "Acute cholecystitis; subtotal cholecystectomy after a difficult triangle.",
            "Straightforward gallstone disease.",
        ],
    ),
    ("general", "appendicectomy"): Profile(
        {LAP: 8, OPEN: 2},
        (30, 90),
        (5, 50),
        (12, 70),
        urgency=(0, 40, 60),
        asa=(60, 35, 5, 0),
        complications=GENERAL_COMPLICATIONS[:3],
        notes=[
            "Perforated appendix with local pus; washout and drain.",
            "Night case; uncomplicated acute appendicitis.",
        ],
    ),
    ("general", "inguinal-hernia"): Profile(
        {OPEN: 6, LAP: 4},
        (40, 100),
        (5, 50),
        (25, 85),
        female=0.15,
        complications=GENERAL_COMPLICATIONS[:1],
        notes=[
            "Lichtenstein repair; identified the ilioinguinal nerve.",
            "Laparoscopic transabdominal repair of bilateral hernias.",
        ],
    ),
    ("general", "ventral-hernia"): Profile(
        {OPEN: 6, LAP: 4},
        (60, 180),
        (20, 200),
        (35, 80),
        complications=GENERAL_COMPLICATIONS[:3],
        notes=["Incisional hernia with retromuscular mesh."],
    ),
    ("general", "right-hemicolectomy"): Profile(
        {LAP: 6, OPEN: 4},
        (120, 240),
        (50, 300),
        (45, 88),
        ceiling=STS,
        asa=(5, 45, 42, 8),
        complication_rate=0.12,
        complications=GENERAL_COMPLICATIONS,
        notes=["Medial to lateral dissection; did the ileocolic pedicle."],
    ),
    ("general", "anterior-resection"): Profile(
        {LAP: 6, OPEN: 2, ROBOT: 2},
        (180, 320),
        (100, 400),
        (40, 85),
        ceiling=ASST,
        asa=(5, 45, 42, 8),
        complication_rate=0.15,
        complications=GENERAL_COMPLICATIONS,
        notes=["Total mesorectal excision with a defunctioning ileostomy."],
        extras=[(("hpb", "minor-liver-resection"), 0.1)],
    ),
    ("general", "mastectomy"): Profile(
        {OPEN: 1},
        (70, 150),
        (50, 250),
        (32, 82),
        female=1.0,
        complications=[(C.I, "Seroma aspirated in clinic.", False)],
        notes=["Simple mastectomy with sentinel node biopsy."],
    ),
    ("general", "thyroidectomy"): Profile(
        {OPEN: 1},
        (70, 160),
        (10, 100),
        (25, 75),
        ceiling=STS,
        female=0.8,
        complications=[
            (C.I, "Transient hypocalcaemia, oral calcium for a week.", False),
            (C.I, "Transient voice change, normal at review.", False),
        ],
        notes=["Recurrent laryngeal nerve identified and preserved on both sides."],
    ),
}

REFLECTIONS = {
    OBS: [
        "Observed the whole case; noted positioning and the order of the steps.",
        "Watched from the head end; asked about the planning afterwards.",
    ],
    ASST: [
        "Assisted with exposure and closure.",
        "First assistant; closed the wound myself.",
        "Helped with positioning and retraction throughout.",
    ],
    STS: [
        "Did the key steps with the mentor scrubbed beside me.",
        "Mentor took over briefly at the hardest part, then handed back.",
        "Need to be quicker with haemostasis before closing.",
    ],
    STU: [
        "Mentor in the theatre but not scrubbed; checked the final result with me.",
        "Confident throughout; mentor advised on one step from outside the field.",
    ],
    PERF: [
        "Skin to skin on my own; mentor reviewed the images afterwards.",
        "Independent case; good flow and a tidy closure.",
    ],
    Involvement.TAUGHT: [
        "Taught a visiting surgeon the approach; I took the critical steps.",
        "Talked a junior through the case step by step.",
    ],
}


def involvement_for(rng: Random, progress: float, ceiling: Involvement) -> Involvement:
    """An involvement that grows from O and A towards S-TS, S-TU and P as progress goes 0 to 1."""
    f = min(max(progress, 0.0), 1.0)
    weights = [
        max(0.02, 0.40 - 0.45 * f),
        0.42 - 0.2 * f,
        0.12 + 0.22 * f,
        0.04 + 0.2 * f,
        0.02 + 0.23 * f,
    ]
    top = LADDER.index(ceiling)
    capped = weights[: top + 1]
    capped[top] += sum(weights[top + 1 :])
    return rng.choices(LADDER[: top + 1], capped)[0]


# Notes told in the first person about doing a step; wrong for someone who only watched.
_HANDS_ON = re.compile(r"\b(I|me|my|myself)\b|^(Did|Placed|Worked|Made)\b")


def _pick(rng: Random, weighted: dict) -> object:
    return rng.choices(list(weighted), list(weighted.values()))[0]


def case_details(
    rng: Random, profile: Profile, involvement: Involvement, with_notes: float = 0.65
) -> dict:
    """Patient, approach, urgency, outcome and notes for one case of this procedure."""
    lo, hi = profile.ages
    sex = Sex.FEMALE if rng.random() < profile.female else Sex.MALE
    minutes = rng.randint(*profile.minutes)
    blood = rng.randint(*profile.blood_ml)
    details = {
        "approach": _pick(rng, profile.approaches),
        "urgency": rng.choices(list(Urgency), profile.urgency)[0],
        "patient_age": rng.randint(lo, hi),
        "patient_sex": sex,
        "asa_grade": rng.choices([1, 2, 3, 4], profile.asa)[0],
        "operative_minutes": minutes - minutes % 5,
        "blood_loss_ml": max(5, blood - blood % 10 if blood > 50 else blood - blood % 5),
    }
    if profile.complications and rng.random() < profile.complication_rate:
        grade, description, back_to_theatre = rng.choice(profile.complications)
        details.update(
            complication=grade,
            complication_description=description,
            return_to_theatre=back_to_theatre,
        )
    if rng.random() < with_notes:
        parts = []
        notes = profile.notes
        if involvement in (OBS, ASST):
            notes = [note for note in notes if not _HANDS_ON.search(note)]
        if notes and rng.random() < 0.7:
            parts.append(rng.choice(notes))
        if rng.random() < 0.6 or not parts:
            parts.append(rng.choice(REFLECTIONS[involvement]))
        details["notes"] = " ".join(parts)
    return details
