"""Statistics: the rapporteur's tables under counting rules and disclosure control."""
