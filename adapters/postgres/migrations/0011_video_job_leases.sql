-- Several API processes follow video jobs: a process claims the due jobs that no other
-- process holds (video_jobs.lease_owner, until lease_until), renews its leases while it
-- works, and claims its own jobs again on its next pass; a job whose process died is taken
-- over by another once the lease has lapsed (adapters/postgres/video_jobs.py).
ALTER TABLE video_jobs ADD COLUMN lease_owner text;
ALTER TABLE video_jobs ADD COLUMN lease_until timestamp;
