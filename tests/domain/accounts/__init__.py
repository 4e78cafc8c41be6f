"""Domain tests of accounts: sign-in limits, links, passwords."""
