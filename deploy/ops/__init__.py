"""`python -m deploy.ops`: operators' commands against the running services' ops APIs (parked messages)."""
