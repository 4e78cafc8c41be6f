"""Opening hours, closures and the free/busy computation."""
