"""A person's own account: their profile page, the language Caselog speaks to them, their
password and their sign-ins."""
