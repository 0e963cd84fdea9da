"""The program director's cohort view: trainees by targets, and the cases behind a cell."""
