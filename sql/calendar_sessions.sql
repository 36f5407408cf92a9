-- calendar_sessions: each session caches the working-day calendar; a change to
-- taxshare.holiday in one session reaches the cache of every other session.
-- A second session is opened with dblink (contrib) on this same server.
CREATE EXTENSION IF NOT EXISTS dblink;
SET datestyle = 'ISO, YMD';
SELECT dblink_connect('other',
         format('host=%s port=%s dbname=%s user=%s',
                split_part(current_setting('unix_socket_directories'), ',', 1),
                current_setting('port'), current_database(), current_user)) AS connected;

-- Both sessions build their cache: Monday 2026-03-02 is a working day.
SELECT taxshare.is_working_day('2026-03-02') AS here;
SELECT * FROM dblink('other', $$SELECT taxshare.is_working_day('2026-03-02')$$) AS t(there boolean);

-- Here it becomes a day off: this session sees it at its next statement,
-- the other at its next transaction.
INSERT INTO taxshare.holiday VALUES ('2026-03-02', 'holiday', 'calendar_sessions test');
SELECT taxshare.is_working_day('2026-03-02') AS here;
SELECT * FROM dblink('other', $$SELECT taxshare.is_working_day('2026-03-02')$$) AS t(there boolean);

-- The other session deletes it again; this session sees that.
SELECT dblink_exec('other', $$DELETE FROM taxshare.holiday WHERE day = '2026-03-02'$$);
SELECT taxshare.is_working_day('2026-03-02') AS here;

-- An uncommitted change in the other session: it sees its own change, this
-- session does not, and after its ROLLBACK its cache forgets the change.
SELECT dblink_exec('other', 'BEGIN');
SELECT dblink_exec('other', $$INSERT INTO taxshare.holiday VALUES ('2026-03-03', 'holiday', 'calendar_sessions test')$$);
SELECT * FROM dblink('other', $$SELECT taxshare.is_working_day('2026-03-03')$$) AS t(there_in_its_transaction boolean);
SELECT taxshare.is_working_day('2026-03-03') AS here;
SELECT dblink_exec('other', 'ROLLBACK');
SELECT * FROM dblink('other', $$SELECT taxshare.is_working_day('2026-03-03')$$) AS t(there_after_rollback boolean);

-- The cache holds the latest committed rows even when it is rebuilt inside a
-- REPEATABLE READ transaction whose snapshot is older, so it is still right
-- after that transaction ends.
CREATE TEMP TABLE calendar_probe (x integer);
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT count(*) AS rows_in_snapshot FROM taxshare.holiday WHERE day = '2026-03-04';
SELECT dblink_exec('other', $$INSERT INTO taxshare.holiday VALUES ('2026-03-04', 'holiday', 'calendar_sessions test')$$);
SELECT count(*) AS probe FROM calendar_probe;   -- a new lock: pending invalidations are read
SELECT count(*) AS rows_in_snapshot FROM taxshare.holiday WHERE day = '2026-03-04';
SELECT taxshare.is_working_day('2026-03-04') AS cache_in_transaction;
COMMIT;
SELECT taxshare.is_working_day('2026-03-04') AS cache_after_transaction;

-- TRUNCATE also reaches the cache (in a transaction rolled back there; in
-- weekends mode an empty table means Monday to Friday).
SELECT dblink_exec('other', 'BEGIN');
SELECT dblink_exec('other', 'SET LOCAL taxshare.calendar_missing_year = weekends');
SELECT dblink_exec('other', 'TRUNCATE taxshare.holiday');
SELECT * FROM dblink('other', $$SELECT taxshare.is_working_day('2024-10-01')$$) AS t(national_day_after_truncate boolean);
SELECT dblink_exec('other', 'ROLLBACK');
SELECT * FROM dblink('other', $$SELECT taxshare.is_working_day('2024-10-01')$$) AS t(national_day_after_rollback boolean);

DELETE FROM taxshare.holiday WHERE name = 'calendar_sessions test';
SELECT taxshare.is_working_day('2026-03-04') AS after_cleanup;
SELECT dblink_disconnect('other');
DROP TABLE calendar_probe;
DROP EXTENSION dblink;
