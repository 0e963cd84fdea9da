"""Mentor sign-off: the queue, signatures, returns, bedside sign-off, delegates, reminders."""
