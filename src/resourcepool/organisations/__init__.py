"""Networks, organisations and their place in networks."""
