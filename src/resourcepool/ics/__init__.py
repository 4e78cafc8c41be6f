"""Writing iCalendar text (RFC 5545): escaping and folding, VTIMEZONE blocks, booking events.

It sits below every domain, like i18n: the booking emails (bookings/notify.py) carry the same
events as the subscribed feeds (calendar_feeds/feeds.py), and bookings must not import the
calendar_feeds domain above it. Pure functions only — no database, no I/O.
"""
