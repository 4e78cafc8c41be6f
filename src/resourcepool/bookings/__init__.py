"""Bookings: requests, the lifecycle, recurring series and idempotent creation."""
