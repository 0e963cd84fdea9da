"""The tests' time: the app runs at a fixed moment, so no test depends on today's date."""

import threading
from datetime import UTC, datetime, timedelta

from caselog.models.types import local_date

# A Friday, at noon in Seoul (the same date in UTC, Seoul, Tokyo and Ulaanbaatar).
NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
TODAY = local_date(NOW, "Asia/Seoul")


class TestClock:
    """The app's clock in tests (its CLOCK setting): it starts at NOW and moves on a second
    each time it is read, so one request comes after another as in life; `reset` takes it
    back to NOW, `move_to` sets it elsewhere."""

    __test__ = False  # not a test class, whatever pytest makes of its name

    def __init__(self, start: datetime = NOW):
        self.start = start
        self._now = start
        self._lock = threading.Lock()  # live servers read it from several threads

    def __call__(self) -> datetime:
        with self._lock:
            self._now += timedelta(seconds=1)
            return self._now

    def move_to(self, moment: datetime) -> None:
        with self._lock:
            self._now = moment

    def reset(self) -> None:
        self.move_to(self.start)


CLOCK = TestClock()
