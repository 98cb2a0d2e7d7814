"""What the project writes: export files, maps and the briefing pack."""
