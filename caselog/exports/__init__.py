"""Case exports: the cases a user may see, as CSV or XLSX, streamed and safe to open."""
