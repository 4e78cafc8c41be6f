"""Assets (rooms, vehicles, devices, expertise) and the catalogue search."""
