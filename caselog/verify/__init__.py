"""The public verification of issued reports, by their code, without sign-in."""
