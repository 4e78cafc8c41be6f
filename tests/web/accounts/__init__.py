"""Web tests of sign-in, passwords, invitations, the account page and the auth API."""
