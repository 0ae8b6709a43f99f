"""Terminal ops view: the dashboards' figures computed from the services' JSON log lines.

`python -m deploy.opsview [FILE ...]` (stdin when no file or "-"; `--follow` tails `.local/logs/*.log`).
`figures` aggregates (pure, no I/O), `render` lays the figures out as rich tables, `sources` reads files
and stdin.
"""
