"""Word lists the name screen needs and no packaged library provides (Korean and Mongolian
names, and the words around a name in case notes), kept short and general."""


def words(text: str) -> list[str]:
    """The words of a list written as text, one or more to a line."""
    return text.split()


# Korean surnames (Statistics Korea's commonest, which cover nearly everyone).
KO_SURNAMES = words(
    """
    황보 남궁 제갈 선우 독고 사공 서문 동방
    김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 유
    전 홍 고 문 양 손 배 백 허 남 심 노 하 곽 성 차 주 우 구 민
    진 나 지 엄 채 원 천 방 공 현 함 변 염 여 추 도 소 석 선 설
    마 길 연 위 표 명 기 반 왕 금 옥 육 인 맹 제 모 탁 국 어 은
    편 용 예 경 봉 사 부 가 복 태 목 형 피 두 감 음 빈 동 온 호
    범 좌 팽 승 간 상 시 갈 단 견 당
    """
)

# Syllables Korean given names are made of: a name's syllables after the surname must all be
# among these for an unmarked run of Hangul to be read as a name.
KO_NAME_SYLLABLES = set(
    words(
        """
        가 각 건 겸 경 고 곤 관 광 교 구 국 군 권 규 균 근 기 길 나
        남 내 녕 노 누 늘 니 다 단 담 대 덕 도 돈 동 두 라 란 래 량
        려 련 령 례 로 록 룡 루 류 륜 률 리 린 림 마 만 매 명 목 무
        문 미 민 바 박 반 배 백 범 법 병 보 복 봉 부 분 비 빈 빛 사
        산 삼 상 새 샘 서 석 선 설 섭 성 세 소 솔 송 수 숙 순 술 슬
        승 시 식 신 실 심 아 안 애 양 언 얼 업 연 열 영 예 오 옥 온
        완 왕 요 용 우 욱 운 웅 원 월 위 유 윤 율 은 을 음 응 의 이
        익 인 일 임 자 재 전 정 제 조 종 주 준 중 지 진 찬 창 채 천
        철 청 초 춘 충 치 탁 태 택 하 학 한 해 행 향 혁 현 협 형 혜
        호 홍 화 환 활 황 회 효 훈 휘 희 힘 결 봄 별 솜 름 늬 쉬
        """
    )
)

# Common words that happen to begin with a surname syllable followed by name syllables.
KO_NOT_NAMES = set(
    words(
        """
        이상 이하 이후 이전 이식 이송 이동 이완 이외 이번 이미 이유
        이름 이들 이런 이면 이중 정상 정도 정맥 정보 정중 정확 정기
        정리 정신 정형 정지 정체 장기 장루 장간 장애 장시 남자 남성
        여자 여성 여아 고령 고위 고정 고도 고열 조기 조직 조영 조절
        조사 조금 우측 우상 우하 우엽 좌측 전신 전방 전후 전체 전원
        전이 전문 전반 전날 한쪽 한번 한측 한국 성인 성공 성별 노인
        신생 신경 신장 신규 신체 소아 유아 유방 유지 유도 유착 유발
        임신 임산 임상 임의 하지 하부 하방 상지 상부 주요 주의 주치
        주변 주간 진단 진행 진통 진정 만성 급성 경증 경미 경과 경피
        중증 양측 양성 안정 안전 안내 최근 최소 최대 최종 문합 문제
        문맥 수술 수혈 시행 시간 시술 시연 연속 연락 연장 연결 원인
        원위 원발 지속 지연 지도 지혈 차이 차례 마취 방사 방법 배액
        배부 구역 구조 기존 기능 기관 기도 기립 도움 도관 도중 공장
        공기 명확 모두 모양 반복 반대 변화 변경 부분 부위 부전 석회
        설명 선암 선행 손상 송도 심한 심장 심부 안쪽 오른 오후 오전
        왕복 용량 우선 원래 은혈 인공 인식 제거 제외 제한 천공 태아
        표준 피부 하루 함께 허리 현재 형성 호전 호흡 환자 황달
        """
    )
)

# Words after a Korean name that make it a person: honorifics and the words for patient.
KO_AFTER_NAME = words("환자분 환자 환아 님 씨 할머니 할아버지 어르신 여사님 여사 군 양 보호자 고객")

# Words before a name that say it is the patient's (or a relative's).
KO_BEFORE_NAME = ("환자명", "환자 성명", "성명", "이름", "성함", "환자", "보호자", "수진자")

# Staff: a name next to one of these is a colleague's, not a patient's.
STAFF_BEFORE = words(
    """
    dr dr. doctor prof prof. professor mentor consultant surgeon
    проф. проф профессор д-р доктор врач хирург ассистент ординатор наставник доц. доцент
    эмч багш
    """
)
STAFF_AFTER = ("교수님", "교수", "선생님", "과장님", "전공의", "전문의", "багш", "эмч", "доктор")

# English titles that put a patient's name after them.
EN_TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Mister", "Madam", "Master")

# Russian words that put a patient's name after them (any case ending is accepted).
RU_PATIENT_STEMS = words(
    "больн пациент б-н гражданин гражданк гр. фио ф.и.о. уважаем пострадавш роженица"
)

# Mongolian: before a name (patient, citizen, woman, man, child, elder, mister, lady) and
# after it (elder, elder sister, elder brother, lady, mister; "named", "of the clan").
MN_BEFORE_NAME = words("өвчтөн өвчтөний өвчтөнд иргэн эмэгтэй эрэгтэй хүүхэд настан ноён хатагтай")
MN_AFTER_NAME = words("гуай эгч ах авгай хатагтай ноён гэдэг гэгч овогтой")

# Words after a capitalised Mongolian word that make it a place or an institution.
MN_PLACE_AFTER = words(
    """
    дүүрэг дүүргийн аймаг аймгийн хот хотын хотод сум сумын баг хороо уул гол нуур
    эмнэлэг эмнэлгийн эмнэлэгт төв төвд төвийн сургууль их улс улсын
    """
)

# Pieces Mongolian personal names are built of (Бат + баяр, Оюун + цэцэг, Ганбаатар ...).
MN_NAME_PARTS = set(
    words(
        """
        бат болд дорж ган баатар эрдэнэ сүх оюун цэцэг нар наран түмэн мөнх энх баяр
        тунгалаг сар саран гэрэл отгон алтан од бямба дэлгэр төмөр хулан жаргал золбоо
        чулуун зориг ариун туяа сайхан болор ням пүрэв даваа мягмар лхагва баасан цэрэн
        жав сүрэн дулам долгор гомбо санжаа дамдин лхам цогт хүрэл ундрах ууган эрдэм
        билэг түвшин мандах мөнгөн хишиг тэмүүлэн тэмүүжин анар сарнай уянга номин нандин
        номун ану анужин солонго мишээл амар амгалан хонгор зул тэгш тулга төгс төгөлдөр
        даш содном цолмон бүрэн хуяг чингис тэнгис хүслэн эрхэм жамъян гарам оргил аюуш
        бур идэр мэнд хурц саруул очир оюунаа нараа сараа ундраа ганаа батаа болдоо
        дэлгэрээ энхээ мөнхөө цэцгээ буян буянт дарь хорол гүрэг дагва лувсан пагма дондог
        норов нямаа бадам бадар цэдэн цэнд сэд шагдар ганга тогтох жигжид батжаргал
        нямдорж бэх хүү зая заяа мөнхзул сэлэнгэ оюут дулмаа хонгорзул тунгаа алима ариунаа
        баярмаа энхтуяа нармандах туул хэрлэн хуслэн анхбаяр анх хишигт ширээ сайн хан
        чимэг чимгээ энэрэл ерөөл бүүвэй гал тод соёл соёмбо шинэ сугар урантаяа ууганбаяр
        тэлмэн гэрэлт цэнгэл бор маргад самбуу цогоо цэвэг пүрэвсүрэн бүрэнтогтох хүдэр
        тамир ганзориг гансүх ганхуяг гантулга эрдэнэбат батсүх батбаяр ганбат ганболд
        оюунцэцэг алтанцэцэг сарангэрэл цэцэгмаа дэлгэрмаа отгонбаяр баасанжав энхжаргал
        мөнхбат жаргалсайхан цэрэндорж пүрэвдорж болормаа нарангэрэл дашдорж наранцэцэг
        наранбаатар мөнхбаяр энхбаяр энхболд батсайхан оюунчимэг бямбасүрэн
        """
    )
)
MN_NAME_ENDINGS = ("маа", "аа", "ээ", "оо", "өө", "жав", "сүрэн", "дорж", "бат", "зул")

# Capitalised English words that clinical text puts before a capital and a full stop
# ("Hepatitis B."), beside a number or after an initial, and are never a patient's name.
EN_NOT_NAMES = set(
    words(
        """
        Hepatitis Vitamin Type Grade Class Stage Level Segment Segments Zone Group Factor
        Child Pugh Frankel Bismuth Clavien Dindo Meyerding Lenke Pfirrmann Modic Tokuhashi
        Tomita ASIA Schwab Roussouly Mayfield Jackson Kerrison Penfield Cobb Ponte
        Smith-Robinson Wiltse Caspar Whipple Pringle Kocher Calot Couinaud Glisson Hartmann
        Roux-en-Y Blumgart Cattell-Braasch May-Thurner Clavien-Dindo Child-Pugh Charcot
        Klatskin Strasberg Brisbane Tokyo Milan Right Left Anterior Posterior Operated
        Surgery Discharged Follow Patient Mentor Returned Second First Good Next Cefazolin
        Heparin Platelets Bilirubin Drain Drains Rods Screws Cage Closure Performed Bleeding
        Blood Operative Liver Middle The A An I No Day Week Month Year Post Pre
        """
    )
)

# Korean surnames as Russian and Mongolian write them (Ким Мин Су, Ли Ен Хи, Цой В.).
CYRILLIC_KOREAN_SURNAMES = set(
    words("Ким Ли Пак Цой Хан Тен Тян Шин Юн Кан Чон Ан Пэк Нам Хегай Ю Со Ен Пай Тин Ни Тё Огай")
)
