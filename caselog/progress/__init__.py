"""Progress toward competency targets: one place computes it, for every page and report."""
