"""An export's memory stays flat: the process's peak at 50,000 cases is within 20% of its
peak at 5,000, in CSV and in XLSX (each export in a fresh process; see the benchmark)."""

from tests.benchmarks.export_memory import measure

SMALL, LARGE = 5_000, 50_000


def test_peak_memory_of_an_export_does_not_grow_with_the_cases(new_database_url):
    figures = measure(new_database_url("caselog_export_memory"), [SMALL, LARGE])
    for fmt, by_size in figures.items():
        small, large = by_size[SMALL], by_size[LARGE]
        assert large["bytes"] > 9 * small["bytes"], (fmt, "the export did not hold every case")
        change = abs(large["peak_kib"] - small["peak_kib"]) / small["peak_kib"]
        assert change < 0.20, (fmt, f"peak memory changed by {change:.0%}", by_size)
        # Stricter: what the export itself adds above the app's own footprint stays flat
        # too (a leak of ~100 bytes a case would show here long before it moved the peak).
        added_small = small["peak_kib"] - small["rss_before_kib"]
        added_large = large["peak_kib"] - large["rss_before_kib"]
        assert added_large < 1.2 * added_small + 2048, (fmt, by_size)
