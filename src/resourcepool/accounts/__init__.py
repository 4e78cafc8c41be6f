"""Users, passwords, sessions, API tokens and one-time links."""
