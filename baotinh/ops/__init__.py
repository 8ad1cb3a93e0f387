"""Running the archive unattended for years: schedules (cron, systemd), status and alarms,
backups. Jobs over a dataset folder; none of them is a crawl step."""
