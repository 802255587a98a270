-- Demo passwords for the compose file only. Use secrets of your own anywhere else.
ALTER ROLE tideline_owner PASSWORD 'owner-secret';
ALTER ROLE tideline_worker PASSWORD 'worker-secret';
