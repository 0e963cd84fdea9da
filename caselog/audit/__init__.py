"""The audit trail: who changed what, when and why, chained by hashes so tampering shows."""
