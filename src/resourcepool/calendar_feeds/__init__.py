"""Calendars: iCalendar export of bookings, subscribable feeds with secret tokens."""
