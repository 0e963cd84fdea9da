"""The second factor: an authenticator app (TOTP) asked for at sign-in and at signing."""
