"""A person's own account: their profile page and the language Caselog speaks to them."""
