"""The procedure catalogue: specialties, procedures, groups and codes, and its admin pages."""
