"""Fault injection: the real refresh against bad networks, bad files, hostile ZIPs and killed processes."""
